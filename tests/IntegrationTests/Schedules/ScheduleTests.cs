using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Vigil.IntegrationTests.Infrastructure;
using Vigil.IntegrationTests.Pulls;
using Vigil.IntegrationTests.Scoring;

namespace Vigil.IntegrationTests.Schedules;

/// <summary>
/// Schedules in a dataset's definition, run by Ingest's scheduler: pulls firing on their cron ticks, backfills (one pull
/// per interval, a rerun superseding), retraining started through Scoring, and the schedules and ranges that are refused.
/// </summary>
[Collection(VigilAppCollection.Name)]
public sealed class ScheduleTests(VigilAppFixture fixture)
{
    private readonly ScheduleClient _schedules = new(fixture);

    [Fact]
    public async Task A_pull_schedule_every_two_seconds_fires_pulls_on_their_ticks()
    {
        var (dataset, pull) = await PullableDatasetAsync();
        await fixture.RegisterDatasetAsync(dataset, new { keyColumns = new[] { "order_id" }, pull, schedule = new { pull = new { cron = "*/2 * * * * *", timeZone = "UTC" } } });
        try
        {
            var runs = await _schedules.WaitForRunsAsync(dataset, "pull", r => r.Count >= 3, TimeSpan.FromSeconds(40));

            var ticks = runs.Select(r => r.GetProperty("tick").GetDateTimeOffset()).ToList();
            Assert.All(ticks, t => Assert.Equal(0, t.Second % 2));
            Assert.Equal(ticks.Count, ticks.Distinct().Count()); // each tick once
            Assert.All(runs, r =>
            {
                Assert.Equal("schedule", r.GetProperty("trigger").GetString());
                Assert.Contains(r.GetProperty("outcome").GetString(), new[] { "accepted", "unchanged" });
                // On time: the pull started within a couple of seconds of its tick (the scheduler looks twice a second).
                var late = r.GetProperty("startedAt").GetDateTimeOffset() - r.GetProperty("tick").GetDateTimeOffset();
                Assert.InRange(late, TimeSpan.Zero, TimeSpan.FromSeconds(5));
                Assert.Equal(DateOnly.FromDateTime(r.GetProperty("tick").GetDateTimeOffset().UtcDateTime), DateOnly.Parse(r.GetProperty("executionDate").GetString()!));
            });
            // The first tick of a date makes the run; later ticks of the same date and content answer with that run.
            var run = await fixture.Api.WaitForRunAsync(runs[0].GetProperty("runId").GetGuid());
            Assert.Equal("completed", run.Status);
            Assert.Equal(5, run.RowCount!.Value);

            var view = await _schedules.ScheduleAsync(dataset);
            var next = view.GetProperty("pull").GetProperty("nextTicks").EnumerateArray().Select(t => t.GetDateTimeOffset()).ToList();
            Assert.Equal(5, next.Count);
            Assert.All(next.Zip(next.Skip(1)), pair => Assert.Equal(TimeSpan.FromSeconds(2), pair.Second - pair.First));
            Assert.True(view.GetProperty("pull").GetProperty("lastTick").GetDateTimeOffset() >= ticks[^1]);
        }
        finally
        {
            await fixture.RegisterDatasetAsync(dataset, new { keyColumns = new[] { "order_id" }, pull }); // stop the clock
        }
    }

    [Fact]
    public async Task Ticks_missed_while_ingest_is_down_run_once_after_it_restarts_not_once_each()
    {
        var (dataset, pull) = await PullableDatasetAsync();
        await fixture.RegisterDatasetAsync(dataset, new { keyColumns = new[] { "order_id" }, pull, schedule = new { pull = new { cron = "*/2 * * * * *" } } });
        DateTimeOffset stoppedAt;
        try
        {
            await _schedules.WaitForRunsAsync(dataset, "pull", r => r.Count >= 1, TimeSpan.FromSeconds(40));
            await fixture.StopResourceAsync("ingest");
            stoppedAt = DateTimeOffset.UtcNow;
            await Task.Delay(TimeSpan.FromSeconds(12)); // six ticks pass with no scheduler
            await fixture.StartResourceAsync("ingest");
            var startedAt = DateTimeOffset.UtcNow;
            await _schedules.WaitForRunsAsync(dataset, "pull", r => r.Any(x => x.GetProperty("startedAt").GetDateTimeOffset() > startedAt), TimeSpan.FromSeconds(60));
        }
        finally
        {
            await fixture.RegisterDatasetAsync(dataset, new { keyColumns = new[] { "order_id" }, pull }); // stop the clock
        }

        var runs = await _schedules.RunsAsync(dataset, "pull");
        var ticks = runs.Select(r => r.GetProperty("tick").GetDateTimeOffset()).ToList();
        Assert.Equal(ticks.Count, ticks.Distinct().Count());
        // The first tick run after the restart is the latest one due then, and none of the (at least five) ticks
        // missed while Ingest was down was run one by one before or after it.
        var first = runs.Where(r => r.GetProperty("startedAt").GetDateTimeOffset() > stoppedAt).MinBy(r => r.GetProperty("startedAt").GetDateTimeOffset());
        var firstTick = first.GetProperty("tick").GetDateTimeOffset();
        Assert.InRange(first.GetProperty("startedAt").GetDateTimeOffset() - firstTick, TimeSpan.Zero, TimeSpan.FromSeconds(4));
        Assert.DoesNotContain(ticks, t => t > stoppedAt && t < firstTick);
        Assert.True(firstTick - stoppedAt >= TimeSpan.FromSeconds(10), $"ingest was down from {stoppedAt:O}; first tick after {firstTick:O}");
    }

    [Fact]
    public async Task A_backfill_of_three_intervals_makes_three_runs_and_running_one_again_supersedes_it()
    {
        var (dataset, pull) = await PullableDatasetAsync();
        await fixture.RegisterDatasetAsync(dataset, new { keyColumns = new[] { "order_id" }, pull, schedule = new { pull = new { cron = "0 6 * * *", timeZone = "Europe/Paris" } } });

        using var backfill = await _schedules.BackfillAsync(dataset, new { from = "2026-11-01T00:00:00Z", to = "2026-11-04T00:00:00Z" });
        var body = await backfill.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(backfill.StatusCode == HttpStatusCode.OK, $"{body} {string.Join(" | ", fixture.RecentLogs("ingest").TakeLast(10))}");

        Assert.Equal(3, body.GetProperty("intervals").GetInt32());
        var runs = body.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(["2026-11-01", "2026-11-02", "2026-11-03"], runs.Select(r => r.GetProperty("executionDate").GetString()));
        Assert.All(runs, r => Assert.Equal("accepted", r.GetProperty("outcome").GetString()));
        Assert.Equal(TimeSpan.FromHours(5), runs[0].GetProperty("tick").GetDateTimeOffset().TimeOfDay); // 06:00 in Paris (UTC+1)
        var runIds = runs.Select(r => r.GetProperty("runId").GetGuid()).ToList();
        Assert.Equal(3, runIds.Distinct().Count());
        foreach (var runId in runIds) Assert.Equal("completed", (await fixture.Api.WaitForRunAsync(runId)).Status);

        using var rerun = await _schedules.BackfillAsync(dataset, new { from = "2026-11-02T00:00:00Z", to = "2026-11-03T00:00:00Z" });
        var again = (await rerun.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runs").EnumerateArray().Single();
        Assert.Equal(HttpStatusCode.OK, rerun.StatusCode);
        Assert.Equal("2026-11-02", again.GetProperty("executionDate").GetString());
        var newRun = again.GetProperty("runId").GetGuid();
        Assert.NotEqual(runIds[1], newRun);

        // The tick has one live record, the new one; the old record and the old run both point to their replacements.
        var records = await _schedules.RunsAsync(dataset, "pull");
        Assert.Equal(4, records.Count);
        var old = records.Single(r => r.GetProperty("runId").GetGuid() == runIds[1]);
        Assert.Equal(again.GetProperty("id").GetGuid(), old.GetProperty("supersededBy").GetGuid());
        Assert.Equal(3, records.Count(r => r.GetProperty("supersededBy").ValueKind == JsonValueKind.Null));
        Assert.Equal(newRun, await SupersededByAsync(runIds[1]));
        Assert.Null(await SupersededByAsync(runIds[0]));
        Assert.Equal("completed", (await fixture.Api.WaitForRunAsync(newRun)).Status);
    }

    [Fact]
    public async Task A_retraining_schedule_starts_a_training_through_scoring()
    {
        var dataset = $"tests.retrain_{Guid.NewGuid().ToString("n")[..8]}";
        var definition = new { keyColumns = new[] { PaymentBatches.KeyColumn } };
        await fixture.RegisterDatasetAsync(dataset, definition);
        await fixture.Api.CompleteCsvAsync(dataset, PaymentBatches.Csv(1000, seed: 7, inject: false), "2026-11-20");

        await fixture.RegisterDatasetAsync(dataset, new { keyColumns = new[] { PaymentBatches.KeyColumn }, schedule = new { retrain = new { cron = "*/2 * * * * *", lastRuns = 1 } } });
        List<JsonElement> runs;
        try
        {
            runs = await _schedules.WaitForRunsAsync(dataset, "retrain", r => r.Any(x => x.GetProperty("modelVersion").ValueKind == JsonValueKind.Number), TimeSpan.FromSeconds(90));
        }
        finally
        {
            await fixture.RegisterDatasetAsync(dataset, definition); // stop the clock
        }

        var trained = runs.First(r => r.GetProperty("modelVersion").ValueKind == JsonValueKind.Number);
        Assert.Equal("accepted", trained.GetProperty("outcome").GetString());
        var version = trained.GetProperty("modelVersion").GetInt32();
        var model = (await fixture.Gateway.GetFromJsonAsync<JsonElement>($"/api/datasets/{dataset}/models")).EnumerateArray()
            .Single(m => m.GetProperty("version").GetInt32() == version);
        Assert.Equal("testing", model.GetProperty("status").GetString());
        Assert.Single(model.GetProperty("trainedFromRuns").EnumerateArray());
    }

    [Fact]
    public async Task Bad_schedules_and_backfill_ranges_are_refused_with_problem_json_and_nothing_is_run()
    {
        var (dataset, pull) = await PullableDatasetAsync();
        async Task AssertRefusedAsync(object schedule, object? withPull, string expected)
        {
            var body = new Dictionary<string, object?> { ["name"] = dataset, ["keyColumns"] = new[] { "order_id" }, ["schedule"] = schedule };
            if (withPull is not null) body["pull"] = withPull;
            using var response = await fixture.Gateway.PostAsJsonAsync("/api/datasets", body);
            var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.Contains(expected, string.Join(" ", problem.GetProperty("errors").GetProperty("schedule").EnumerateArray().Select(e => e.GetString())));
        }
        await AssertRefusedAsync(new { pull = new { cron = "every hour" } }, pull, "not a cron expression");
        await AssertRefusedAsync(new { pull = new { cron = "61 * * * *" } }, pull, "not a valid cron expression");
        await AssertRefusedAsync(new { pull = new { cron = "0 * * * *", timeZone = "Mars/Olympus_Mons" } }, pull, "'Mars/Olympus_Mons' is not a known IANA time zone");
        await AssertRefusedAsync(new { pull = new { cron = "0 * * * *" } }, null, "needs the dataset's 'pull' section");
        await AssertRefusedAsync(new { retrain = new { cron = "0 3 * * 1", lastRuns = 500 } }, null, "lastRuns must be between 1 and 20");

        await fixture.RegisterDatasetAsync(dataset, new { keyColumns = new[] { "order_id" }, pull, schedule = new { pull = new { cron = "0 6 * * *", timeZone = "UTC" } } });
        var reversed = await ProblemAsync(await _schedules.BackfillAsync(dataset, new { from = "2026-11-04T00:00:00Z", to = "2026-11-01T00:00:00Z" }), HttpStatusCode.BadRequest);
        Assert.Contains("must be before", reversed.GetProperty("detail").GetString());
        var tooLarge = await ProblemAsync(await _schedules.BackfillAsync(dataset, new { from = "2020-01-01T00:00:00Z", to = "2026-01-01T00:00:00Z" }), HttpStatusCode.BadRequest);
        Assert.Equal("Backfill too large", tooLarge.GetProperty("title").GetString());
        Assert.Contains("the limit is 100 intervals", tooLarge.GetProperty("detail").GetString());
        await ProblemAsync(await _schedules.BackfillAsync(dataset, new { from = "2026-11-01T00:00:00Z" }), HttpStatusCode.BadRequest);
        await ProblemAsync(await _schedules.BackfillAsync($"tests.nobody_{Guid.NewGuid():n}"[..24], new { from = "2026-11-01T00:00:00Z", to = "2026-11-02T00:00:00Z" }), HttpStatusCode.NotFound);

        var unscheduled = $"tests.unscheduled_{Guid.NewGuid().ToString("n")[..8]}";
        await fixture.RegisterDatasetAsync(unscheduled, new { keyColumns = new[] { "order_id" }, pull });
        var noSchedule = await ProblemAsync(await _schedules.BackfillAsync(unscheduled, new { from = "2026-11-01T00:00:00Z", to = "2026-11-02T00:00:00Z" }), HttpStatusCode.BadRequest);
        Assert.Equal("No pull schedule", noSchedule.GetProperty("title").GetString());

        Assert.Empty(await _schedules.RunsAsync(dataset, "pull"));
        Assert.Equal(0, (await fixture.Api.ListRunsAsync($"dataset={dataset}")).Total);
    }

    /// <summary>A dataset name and a pull section reading a small table in the 'sources' Postgres database.</summary>
    private async Task<(string Dataset, object Pull)> PullableDatasetAsync()
    {
        var suffix = Guid.NewGuid().ToString("n")[..8];
        await SourcesDatabase.ExecuteAsync(fixture, $"""
            CREATE TABLE scheduled_{suffix} (order_id text PRIMARY KEY, amount numeric(12,2));
            INSERT INTO scheduled_{suffix} SELECT 'o-' || g, g * 2.5 FROM generate_series(1, 5) g;
            """);
        return ($"tests.schedule_{suffix}", new { target = new { connection = "sources", table = $"public.scheduled_{suffix}" } });
    }

    private async Task<Guid?> SupersededByAsync(Guid runId)
    {
        await using var connection = new NpgsqlConnection(fixture.GetConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT superseded_by FROM ingest.runs WHERE run_id = $1", connection) { Parameters = { new() { Value = runId } } };
        return await command.ExecuteScalarAsync() is Guid id ? id : null;
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            return JsonDocument.Parse(body).RootElement;
        }
    }
}
