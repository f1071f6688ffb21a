using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.IntegrationTests.Alerting;
using Xunit.Abstractions;

namespace Vigil.Chaos;

/// <summary>
/// Batches driven through the gateway by a retrying client while the broker, the database, two services and the cache
/// are faulted one after another. Judged only by what a user can see: every batch accepted, none lost, stuck,
/// duplicated or wrongly failed, every report downloadable, every alert delivered once.
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Gap = TimeSpan.FromSeconds(6);

    [ChaosFact]
    public async Task Batches_survive_broker_database_service_and_cache_faults_with_nothing_lost_stuck_duplicated_or_misjudged()
    {
        var options = ChaosOptions.FromEnvironment();
        using var overall = new CancellationTokenSource(TimeSpan.FromMinutes(40));
        var token = overall.Token;
        await using var hooks = await WebhookReceiver.StartAsync();
        await using var app = await ChaosApp.StartAsync(token);

        var prefix = $"chaos.b{Guid.NewGuid():n}"[..16];
        var batches = ChaosBatches.Create(prefix, options);
        var datasets = batches.Select(b => b.Dataset).Distinct().ToList();
        foreach (var dataset in datasets) await PrepareAsync(app.Gateway, dataset, hooks, token);

        var faults = new FaultTimeline(new AspireFaultInjector(app.App), Fault.Standard, options.FaultDuration, Gap);
        var clock = Stopwatch.StartNew();
        var faulting = faults.RunAsync(clock, token);
        await DriveAsync(app.Gateway, batches, options, faults.Length, clock, token);
        try
        {
            await faulting;
        }
        catch (InvalidOperationException e)
        {
            Assert.Fail($"A fault could not be undone: {e.Message}{Environment.NewLine}Resources now: {app.DescribeUnwellResources()}");
        }

        var verifier = new RunVerifier(app.Gateway);
        await verifier.WaitForRunsAsync(batches, options.SettleBudget, token);
        await verifier.CheckReportsAsync(batches, token);
        var runCounts = await verifier.CountRunsAsync(datasets, token);
        var (alertsPerRun, repeatedDeliveries, failureAlerts) = await CollectAlertsAsync(hooks, batches, datasets, token);
        var alertRecords = await AlertRecordsOfUnalertedRunsAsync(app.Gateway, batches, alertsPerRun, token);

        var outcome = ChaosOutcome.From(batches, runCounts, alertsPerRun, failureAlerts, alertRecords) with { AlertDeliveriesRepeated = repeatedDeliveries };
        var table = outcome.ToMarkdown(faults.Entries) + Environment.NewLine + "Resources now: " + app.DescribeUnwellResources();
        output.WriteLine($"Chaos run: {options.Batches} batches over {options.Datasets} datasets, faults of {options.FaultDuration.TotalSeconds:0} s, {clock.Elapsed.TotalSeconds:0} s in all");
        output.WriteLine(table);
        Console.WriteLine(table);
        if (outcome.Clean)
        {
            if (options.KeepLogs) output.WriteLine($"Every resource's log: {app.LogsDirectory}");
            else app.DiscardLogs();
            return;
        }
        var postMortem = await PostMortemAsync(app, batches, alertsPerRun, token);
        output.WriteLine(postMortem);
        Console.WriteLine(postMortem);
        Assert.Fail(table + Environment.NewLine + postMortem);
    }

    /// <summary>
    /// For the runs that went wrong (not ended, or completed without their alert): the run as the API shows it, what Ingest
    /// and Scoring hold about it, and every service's log lines about it; then the pipeline's queues, each service's dead
    /// letters, and where the whole logs are kept.
    /// </summary>
    private static async Task<string> PostMortemAsync(ChaosApp app, IReadOnlyList<SubmittedBatch> batches, IReadOnlyDictionary<Guid, int> alertsPerRun,
        CancellationToken token)
    {
        var report = new System.Text.StringBuilder("Post-mortem").AppendLine();
        var wrong = batches.Where(b => b.RunId is { } id && (b.Status is not ("completed" or "failed") || b.Status == "completed" && !alertsPerRun.ContainsKey(id)));
        var postgres = await app.ConnectionStringAsync("postgres", token);
        foreach (var batch in wrong.Take(5))
        {
            report.AppendLine($"## batch {batch.Index}, run {batch.RunId} ({batch.Status ?? "never found"}), accepted at {batch.AcceptedAt:O}");
            try
            {
                report.AppendLine(await app.Gateway.GetStringAsync($"/api/runs/{batch.RunId}", token));
            }
            catch (HttpRequestException e)
            {
                report.AppendLine($"(the run could not be read: {e.Message})");
            }
            report.Append(await PipelineState.DescribeRunAsync(postgres, batch.RunId!.Value, token));
            foreach (var line in app.LogLinesMentioning(batch.RunId!.Value.ToString(), 60)) report.AppendLine("    " + line);
        }
        report.AppendLine("The redriver's word on silent runs:");
        foreach (var line in app.LogLinesMentioning("silent run", 10)) report.AppendLine("    " + line);
        report.Append(await PipelineState.DescribeQueuesAsync(await app.ConnectionStringAsync("rabbitmq", token), token));
        report.AppendLine("Dead letters:").Append(await app.DescribeDeadLettersAsync(token));
        report.AppendLine($"Every resource's log: {app.LogsDirectory}");
        return report.ToString();
    }

    /// <summary>Registers the dataset with a rule every batch breaks once, and two webhook policies: rule failures and run failures.</summary>
    private static async Task PrepareAsync(HttpClient gateway, string dataset, WebhookReceiver hooks, CancellationToken token)
    {
        await PostAsync(gateway, "/api/datasets", new
        {
            name = dataset,
            keyColumns = new[] { "transaction_id" },
            rules = new object[] { new { kind = "range", column = "amount", min = 0, max = ChaosBatches.RuleMaximum } },
        }, token);
        await PostAsync(gateway, "/api/alerts/policies", new
        {
            dataset, name = "rules", throttleWindow = "00:00:00",
            conditions = new object[] { new { kind = "rules_failed" } },
            channels = new object[] { new { kind = "webhook", url = hooks.Url($"rules-{dataset}") } },
        }, token);
        await PostAsync(gateway, "/api/alerts/policies", new
        {
            dataset, name = "failures", throttleWindow = "00:00:00",
            conditions = new object[] { new { kind = "run_failed" } },
            channels = new object[] { new { kind = "webhook", url = hooks.Url($"failed-{dataset}") } },
        }, token);
    }

    private static async Task PostAsync(HttpClient gateway, string path, object body, CancellationToken token)
    {
        using var response = await gateway.PostAsJsonAsync(path, body, token);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(token)}");
    }

    /// <summary>
    /// Sends the batches paced evenly over the fault timeline (open loop: each is due at its own time). A batch not yet
    /// begun when the timeline plus one submit budget has passed is not sent (it counts as refused), so a broken
    /// application fails the run in bounded time instead of being retried against for hours.
    /// </summary>
    private static async Task DriveAsync(HttpClient gateway, IReadOnlyList<SubmittedBatch> batches, ChaosOptions options, TimeSpan span,
        Stopwatch clock, CancellationToken token)
    {
        var submitter = new RetryingSubmitter(gateway, options.SubmitBudget);
        var interval = span / batches.Count;
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = token },
            async (batch, ct) =>
            {
                var due = interval * batch.Index;
                if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed, ct);
                if (clock.Elapsed > span + options.SubmitBudget)
                {
                    batch.Refusals["not sent: the drive ran out of time"] = 1;
                    return;
                }
                await submitter.SubmitAsync(batch, ct);
            });
    }

    /// <summary>
    /// Waits (bounded) for one rule alert per completed run. Returns the distinct alerts per run id (by the
    /// Idempotency-Key every delivery of one alert carries), the deliveries that repeated an alert already received (a
    /// sender that lost its record of a send to a Postgres kill sends again: at-least-once, which the key lets a
    /// receiver collapse), and the number of run-failed alerts.
    /// </summary>
    private static async Task<(IReadOnlyDictionary<Guid, int>, int, int)> CollectAlertsAsync(WebhookReceiver hooks, IReadOnlyList<SubmittedBatch> batches,
        IReadOnlyList<string> datasets, CancellationToken token)
    {
        var expected = batches.Where(b => b.Status == "completed").Select(b => b.RunId!.Value).ToHashSet();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!expected.All(Tally().PerRun.ContainsKey) && DateTime.UtcNow < deadline) await Task.Delay(500, token);
        // Deliveries still in flight for a run would show as duplicates a moment later: give them that moment.
        await Task.Delay(TimeSpan.FromSeconds(3), token);
        var (perRun, repeated) = Tally();
        return (perRun, repeated, datasets.Sum(d => hooks.For($"failed-{d}").Count));

        (Dictionary<Guid, int> PerRun, int Repeated) Tally()
        {
            var received = datasets.SelectMany(d => hooks.For($"rules-{d}")).Where(r => r.AnsweredStatus == 200).ToList();
            var alerts = received.GroupBy(r => r.Headers.GetValueOrDefault("Idempotency-Key") ?? r.Body).ToList();
            var perRun = alerts.GroupBy(a => a.First().Json.GetProperty("runId").GetGuid()).ToDictionary(g => g.Key, g => g.Count());
            return (perRun, received.Count - alerts.Count);
        }
    }

    /// <summary>For each completed run no alert reached: what Alerting recorded for it (none, or each alert's status and deliveries).</summary>
    private static async Task<IReadOnlyDictionary<Guid, string>> AlertRecordsOfUnalertedRunsAsync(HttpClient gateway, IReadOnlyList<SubmittedBatch> batches,
        IReadOnlyDictionary<Guid, int> alertsPerRun, CancellationToken token)
    {
        var records = new Dictionary<Guid, string>();
        foreach (var batch in batches.Where(b => b.Status == "completed" && !alertsPerRun.ContainsKey(b.RunId!.Value)).Take(5))
        {
            try
            {
                // 500 is the API's most; a chaos dataset has a few hundred runs at most, each with one rules alert.
                var alerts = await gateway.GetFromJsonAsync<JsonElement>($"/api/alerts?dataset={Uri.EscapeDataString(batch.Dataset)}&limit=500", token);
                var mine = alerts.EnumerateArray().Where(a => a.GetProperty("runId").GetGuid() == batch.RunId).ToList();
                records[batch.RunId!.Value] = mine.Count == 0
                    ? "Alerting recorded no alert for it"
                    : string.Join("; ", mine.Select(a => $"alert {a.GetProperty("id")} {a.GetProperty("status")}, deliveries {a.GetProperty("deliveries")}"));
            }
            catch (HttpRequestException e)
            {
                records[batch.RunId!.Value] = $"its alerts could not be listed: {e.Message}";
            }
        }
        return records;
    }
}
