using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Vigil.Contracts;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Lineage;

[Collection(VigilAppCollection.Name)]
public sealed class OpenLineageEventTests(VigilAppFixture fixture)
{
    private readonly LineageClient _lineage = new(fixture);

    [Fact]
    public async Task Scored_batch_has_start_and_complete_per_stage_with_the_batch_columns_in_the_schema_facet()
    {
        var dataset = await _lineage.RegisterAsync("events");
        var runId = (await fixture.Api.SubmitCsvAsync(dataset, LineageClient.Transactions)).RunId;
        await fixture.Api.WaitForRunAsync(runId);

        var events = (await _lineage.WaitForEventsAsync(runId, EveryStage(dataset))).EnumerateArray().ToList();

        string[] stageJobs = [$"{dataset}.ingest", $"{dataset}.validate", $"{dataset}.score"];
        foreach (var job in stageJobs)
        {
            var ofJob = events.Where(e => LineageClient.Job(e) == job).ToList();
            Assert.Equal(["COMPLETE", "START"], ofJob.Select(e => e.GetProperty("eventType").GetString()).Order());
            Assert.Single(ofJob.Select(e => e.GetProperty("run").GetProperty("runId").GetGuid()).Distinct());
            Assert.True(ofJob.Single(e => Type(e) == "START").GetProperty("eventTime").GetDateTimeOffset()
                        <= ofJob.Single(e => Type(e) == "COMPLETE").GetProperty("eventTime").GetDateTimeOffset());
        }
        Assert.Equal(["COMPLETE", "START"], events.Where(e => LineageClient.Job(e) == dataset).Select(Type).Order());
        Assert.All(events, e =>
        {
            Assert.Equal("https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent", e.GetProperty("schemaURL").GetString());
            Assert.True(Uri.IsWellFormedUriString(e.GetProperty("producer").GetString(), UriKind.Absolute));
            Assert.Equal("vigil", e.GetProperty("job").GetProperty("namespace").GetString());
        });

        var validated = Output(events.Single(e => LineageClient.Job(e) == $"{dataset}.validate" && Type(e) == "COMPLETE"), "vigil", dataset);
        var fields = validated.GetProperty("facets").GetProperty("schema").GetProperty("fields").EnumerateArray().ToList();
        Assert.Equal(LineageClient.TransactionColumns, fields.Select(f => f.GetProperty("name").GetString()));
        Assert.Equal("decimal", fields[2].GetProperty("type").GetString());
        Assert.Equal("timestamp", fields[3].GetProperty("type").GetString());
        Assert.Equal(3, validated.GetProperty("facets").GetProperty("dataQualityMetrics").GetProperty("rowCount").GetInt64());
        var run = await fixture.Api.GetRunAsync(runId);
        Assert.Equal(run!.Validation!.DqScore!.Value,
            validated.GetProperty("facets").GetProperty("vigil_dqScore").GetProperty("score").GetDouble());
    }

    [Fact]
    public async Task Stage_runs_name_the_vigil_run_as_their_parent()
    {
        var dataset = await _lineage.RegisterAsync("parent");
        var runId = (await fixture.Api.SubmitCsvAsync(dataset, LineageClient.Transactions)).RunId;
        await fixture.Api.WaitForRunAsync(runId);

        var events = (await _lineage.WaitForEventsAsync(runId, EveryStage(dataset))).EnumerateArray().ToList();

        Assert.All(events.Where(e => LineageClient.Job(e) != dataset), e =>
        {
            var parent = e.GetProperty("run").GetProperty("facets").GetProperty("parent");
            Assert.Equal(runId, parent.GetProperty("run").GetProperty("runId").GetGuid());
            Assert.Equal(dataset, parent.GetProperty("job").GetProperty("name").GetString());
            Assert.NotEqual(runId, e.GetProperty("run").GetProperty("runId").GetGuid());
        });
        Assert.All(events.Where(e => LineageClient.Job(e) == dataset), e => Assert.Equal(runId, e.GetProperty("run").GetProperty("runId").GetGuid()));
    }

    [Fact]
    public async Task Failed_run_has_a_fail_event_with_the_error_message()
    {
        var dataset = await _lineage.RegisterAsync("failed");
        var runId = (await fixture.Api.SubmitCsvAsync(dataset, "transaction_id,amount\nt-1,10\nt-2,20,extra\n")).RunId;
        var run = await fixture.Api.WaitForRunAsync(runId);
        Assert.Equal("failed", run.Status);

        var events = (await _lineage.WaitForEventsAsync(runId, ($"{dataset}.validate", "START"), ($"{dataset}.validate", "FAIL"), (dataset, "FAIL")))
            .EnumerateArray().ToList();

        var fail = events.Single(e => LineageClient.Job(e) == $"{dataset}.validate" && Type(e) == "FAIL");
        var error = fail.GetProperty("run").GetProperty("facets").GetProperty("errorMessage");
        Assert.Equal(run.Failure!.Reason, error.GetProperty("message").GetString());
        Assert.Contains("Row 2", error.GetProperty("message").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("programmingLanguage").GetString()));
        Assert.Contains(fail.GetProperty("inputs").EnumerateArray(), i => i.GetProperty("name").GetString() == run.ObjectKey);
        // Ingest finished; validation and the run did not.
        Assert.Equal([$"{dataset}.ingest"], events.Where(e => Type(e) == "COMPLETE").Select(LineageClient.Job));
        Assert.Contains(events, e => LineageClient.Job(e) == dataset && Type(e) == "FAIL");
    }

    [Fact]
    public async Task A_redelivered_bus_message_adds_no_event()
    {
        var dataset = await _lineage.RegisterAsync("redeliver");
        var runId = (await fixture.Api.SubmitCsvAsync(dataset, LineageClient.Transactions)).RunId;
        var run = await _lineage.WaitForRunAsync(runId, "ingest", "validate", "score");
        var before = (await _lineage.WaitForEventsAsync(runId, EveryStage(dataset))).GetRawText();
        var score = run.Stage("score");
        var scored = new BatchScored
        {
            RunId = runId,
            Dataset = dataset,
            ExecutionDate = new DateOnly(2026, 11, 20),
            RowCount = run.RowCount!.Value,
            AnomalyCount = run.AnomalyCount!.Value,
            Device = run.Device!,
            Timing = new StageTiming("score", score.StartedAt, score.CompletedAt, 3),
        };
        var marker = Guid.CreateVersion7();

        // Straight onto Lineage's queue, then a marker behind it: once the marker's run shows, the copy was consumed.
        await SendToLineageAsync(scored, scored with { RunId = marker });
        await fixture.Api.WaitForRunAsync(marker, withValidation: false);

        using var response = await fixture.Gateway.GetAsync($"/api/lineage/events?runId={runId}");
        Assert.Equal(before, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetRawText());
    }

    [Fact]
    public async Task Events_need_a_run_id_and_an_unknown_run_has_none()
    {
        using var missing = await fixture.Gateway.GetAsync("/api/lineage/events");
        using var unknown = await fixture.Gateway.GetAsync($"/api/lineage/events?runId={Guid.NewGuid()}");

        await LineageClient.AssertProblemAsync(missing, HttpStatusCode.BadRequest);
        await LineageClient.AssertProblemAsync(unknown, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Custom_facet_schemas_are_served_where_the_facets_point()
    {
        var dataset = await _lineage.RegisterAsync("facetschema");
        var runId = (await fixture.Api.SubmitCsvAsync(dataset, LineageClient.Transactions)).RunId;
        await fixture.Api.WaitForRunAsync(runId);
        var events = (await _lineage.WaitForEventsAsync(runId, ($"{dataset}.validate", "COMPLETE"))).EnumerateArray();
        var schemaUrl = new Uri(Output(events.Single(e => LineageClient.Job(e) == $"{dataset}.validate" && Type(e) == "COMPLETE"), "vigil", dataset)
            .GetProperty("facets").GetProperty("vigil_dqScore").GetProperty("_schemaURL").GetString()!);

        using var schema = await fixture.Gateway.GetAsync(schemaUrl.AbsolutePath);

        Assert.Equal(HttpStatusCode.OK, schema.StatusCode);
        var json = await schema.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(json.GetProperty("$defs").TryGetProperty(schemaUrl.Fragment.Split('/').Last(), out _));
    }

    private static (string, string)[] EveryStage(string dataset) =>
    [
        (dataset, "START"), (dataset, "COMPLETE"),
        .. new[] { "ingest", "validate", "score" }.SelectMany(stage => new[] { ($"{dataset}.{stage}", "START"), ($"{dataset}.{stage}", "COMPLETE") }),
    ];

    private static string? Type(JsonElement runEvent) => runEvent.GetProperty("eventType").GetString();

    private static JsonElement Output(JsonElement runEvent, string ns, string name) =>
        runEvent.GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("namespace").GetString() == ns && o.GetProperty("name").GetString() == name);

    private async Task SendToLineageAsync(params BatchScored[] messages)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(new Uri(fixture.GetConnectionString("rabbitmq"))));
        await bus.StartAsync();
        try
        {
            var queue = await bus.GetSendEndpoint(new Uri("queue:lineage-batch-scored"));
            foreach (var message in messages) await queue.Send(message);
        }
        finally
        {
            await bus.StopAsync();
        }
    }
}
