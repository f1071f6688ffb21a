using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Vigil.Contracts;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Lineage;

[Collection(VigilAppCollection.Name)]
public sealed class DatasetGraphTests(VigilAppFixture fixture)
{
    private const string Source = "source_id,amount\ns-1,10.5\ns-2,11.0\ns-3,12.0\n";
    private const string Target = "source_id,amount\ns-1,10.5\ns-3,12.5\ns-4,1.0\n";

    private readonly LineageClient _lineage = new(fixture);

    [Fact]
    public async Task Reconciliation_graph_shows_source_and_target_objects_as_inputs_of_the_validate_job()
    {
        var (dataset, run) = await ReconcileAsync();
        var (source, target) = (run.SourceObjectKey!, run.ObjectKey!);

        var graph = await GraphAsync(dataset);

        var upstream = graph.GetProperty("upstream");
        Assert.Equal([$"{dataset}.validate"], Names(upstream.GetProperty("jobs")));
        Assert.Equal([source, target], Names(upstream.GetProperty("datasets")).Order());
        Assert.All(upstream.GetProperty("datasets").EnumerateArray(), d => Assert.Equal("s3://vigil", d.GetProperty("namespace").GetString()));
        var edges = Edges(graph);
        Assert.Contains(($"dataset:s3://vigil:{source}", $"job:vigil:{dataset}.validate"), edges);
        Assert.Contains(($"dataset:s3://vigil:{target}", $"job:vigil:{dataset}.validate"), edges);
        Assert.Contains(($"job:vigil:{dataset}.validate", $"dataset:vigil:{dataset}"), edges);
        Assert.Equal([$"{dataset}.score"], Names(graph.GetProperty("downstream").GetProperty("jobs")));
    }

    [Fact]
    public async Task Reconciliation_source_object_leads_downstream_through_validate_to_the_logical_dataset()
    {
        var (dataset, run) = await ReconcileAsync();
        var source = run.SourceObjectKey!;

        var graph = await GraphAsync(source);

        Assert.Equal("s3://vigil", graph.GetProperty("dataset").GetProperty("namespace").GetString());
        var downstream = graph.GetProperty("downstream");
        Assert.Equal([$"{dataset}.validate"], Names(downstream.GetProperty("jobs")));
        Assert.Contains(downstream.GetProperty("datasets").EnumerateArray(),
            d => d.GetProperty("namespace").GetString() == "vigil" && d.GetProperty("name").GetString() == dataset);
        Assert.Contains(downstream.GetProperty("datasets").EnumerateArray(),
            d => d.GetProperty("name").GetString() == run.Reports["reconciliation"]);
        Assert.Equal([$"{dataset}.ingest"], Names(graph.GetProperty("upstream").GetProperty("jobs")));
    }

    [Fact]
    public async Task Scored_batch_graph_reaches_the_score_job_at_depth_two()
    {
        var dataset = await _lineage.RegisterAsync("graph");
        var runId = (await fixture.Api.SubmitCsvAsync(dataset, LineageClient.Transactions)).RunId;
        var run = await _lineage.WaitForRunAsync(runId, "ingest", "validate", "score");
        await _lineage.WaitForEventsAsync(runId, ($"{dataset}.validate", "COMPLETE"), ($"{dataset}.score", "COMPLETE"));
        var raw = run.ObjectKey!;

        var one = await GraphAsync(raw);
        var two = await GraphAsync(raw, "depth=2");

        Assert.Equal([$"{dataset}.validate"], Names(one.GetProperty("downstream").GetProperty("jobs")));
        var jobs = two.GetProperty("downstream").GetProperty("jobs").EnumerateArray().ToDictionary(j => j.GetProperty("name").GetString()!, j => j.GetProperty("hops").GetInt32());
        Assert.Equal(new Dictionary<string, int> { [$"{dataset}.validate"] = 1, [$"{dataset}.score"] = 2 }, jobs);
        Assert.Contains(two.GetProperty("downstream").GetProperty("datasets").EnumerateArray(),
            d => d.GetProperty("name").GetString() == dataset && d.GetProperty("hops").GetInt32() == 1);
    }

    [Fact]
    public async Task Graph_can_be_narrowed_to_one_run()
    {
        var dataset = await _lineage.RegisterAsync("graphrun");
        var first = (await fixture.Api.SubmitCsvAsync(dataset, LineageClient.Transactions, "2026-11-20")).RunId;
        var second = (await fixture.Api.SubmitCsvAsync(dataset, LineageClient.Transactions, "2026-11-21")).RunId;
        await _lineage.WaitForEventsAsync(first, ($"{dataset}.validate", "COMPLETE"));
        await _lineage.WaitForEventsAsync(second, ($"{dataset}.validate", "COMPLETE"));

        var all = await GraphAsync(dataset);
        var one = await GraphAsync(dataset, $"runId={second}");

        Assert.Equal(2, all.GetProperty("upstream").GetProperty("datasets").GetArrayLength());
        var only = Assert.Single(one.GetProperty("upstream").GetProperty("datasets").EnumerateArray());
        Assert.Contains(second.ToString(), only.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Validate_events_recorded_before_the_ingest_still_get_the_reconciliation_source_as_input()
    {
        // Lineage consumes each message type from its own queue, so after a backlog BatchValidated can be recorded first.
        var dataset = $"tests.ooo_{Guid.NewGuid():n}"[..28];
        var runId = Guid.CreateVersion7();
        var prefix = $"raw/{dataset}/2026-11-20/{runId}";
        var now = DateTimeOffset.UtcNow;
        await SendToLineageAsync("lineage-batch-validated", new BatchValidated
        {
            RunId = runId,
            Dataset = dataset,
            ExecutionDate = new DateOnly(2026, 11, 20),
            ObjectKey = $"{prefix}.target.csv",
            RowCount = 3,
            Columns = ["source_id", "amount"],
            ReportKey = $"reports/{dataset}/{runId}/validation.json",
            Timing = new StageTiming("validate", now.AddMilliseconds(20), now.AddMilliseconds(60), 3),
        });
        await _lineage.WaitForEventsAsync(runId, ($"{dataset}.validate", "COMPLETE"));

        await SendToLineageAsync("lineage-batch-ingested", new BatchIngested
        {
            RunId = runId,
            Dataset = dataset,
            ExecutionDate = new DateOnly(2026, 11, 20),
            ObjectKey = $"{prefix}.target.csv",
            ContentType = "text/csv",
            SizeBytes = 40,
            ContentSha256 = new string('0', 64),
            ReconciliationSource = new StoredObject($"{prefix}.source.csv", "text/csv", 41),
            Timing = new StageTiming("ingest", now, now.AddMilliseconds(10)),
        });
        var events = await _lineage.WaitForEventsAsync(runId, ($"{dataset}.ingest", "COMPLETE"));

        var validate = events.EnumerateArray().Where(e => LineageClient.Job(e) == $"{dataset}.validate").ToList();
        Assert.Equal(2, validate.Count);
        Assert.All(validate, e => Assert.Equal([$"{prefix}.target.csv", $"{prefix}.source.csv"],
            e.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("name").GetString())));
        var graph = await GraphAsync(dataset);
        Assert.Equal([$"{prefix}.source.csv", $"{prefix}.target.csv"], Names(graph.GetProperty("upstream").GetProperty("datasets")).Order());
        // Without the validation report the schema facet still names the columns.
        var complete = validate.Single(e => e.GetProperty("eventType").GetString() == "COMPLETE");
        var fields = complete.GetProperty("outputs")[0].GetProperty("facets").GetProperty("schema").GetProperty("fields");
        Assert.Equal(["source_id", "amount"], fields.EnumerateArray().Select(f => f.GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData("depth=0")]
    [InlineData("depth=6")]
    public async Task Depth_outside_one_to_five_is_a_problem_json_400(string query)
    {
        var (dataset, _) = await ReconcileAsync();

        using var response = await fixture.Gateway.GetAsync($"/api/lineage/datasets/{dataset}?{query}");

        await LineageClient.AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Unknown_dataset_is_a_problem_json_404()
    {
        using var response = await fixture.Gateway.GetAsync($"/api/lineage/datasets/tests.never_{Guid.NewGuid():n}");

        await LineageClient.AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    private async Task<(string Dataset, Run Run)> ReconcileAsync()
    {
        var dataset = await _lineage.RegisterAsync("graphrec", new { keyColumns = new[] { "source_id" } });
        var runId = (await fixture.Api.SubmitReconciliationAsync(dataset, Source, Target)).RunId;
        var run = await _lineage.WaitForRunAsync(runId, "ingest", "validate", "score");
        Assert.Equal("completed", run.Status);
        await _lineage.WaitForEventsAsync(runId, ($"{dataset}.ingest", "COMPLETE"), ($"{dataset}.validate", "COMPLETE"), ($"{dataset}.score", "COMPLETE"));
        return (dataset, run);
    }

    private async Task<JsonElement> GraphAsync(string name, string query = "") =>
        await fixture.Gateway.GetFromJsonAsync<JsonElement>($"/api/lineage/datasets/{name}?{query}");

    private async Task SendToLineageAsync<T>(string queue, T message) where T : class
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(new Uri(fixture.GetConnectionString("rabbitmq"))));
        await bus.StartAsync();
        try
        {
            await (await bus.GetSendEndpoint(new Uri($"queue:{queue}"))).Send(message);
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    private static List<string> Names(JsonElement nodes) => [.. nodes.EnumerateArray().Select(n => n.GetProperty("name").GetString()!)];

    private static List<(string, string)> Edges(JsonElement graph) =>
        [.. graph.GetProperty("edges").EnumerateArray().Select(e => (e.GetProperty("from").GetString()!, e.GetProperty("to").GetString()!))];
}
