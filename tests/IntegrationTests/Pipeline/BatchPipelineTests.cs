using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Vigil.Contracts;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Pipeline;

[Collection(VigilAppCollection.Name)]
public sealed class BatchPipelineTests(VigilAppFixture fixture)
{
    private const string Transactions = "transaction_id,account_id,amount,booked_at\n" +
                                        "t-1,a-1,12.50,2026-11-20T10:00:00Z\n" +
                                        "t-2,a-1,\"1,200.00\",2026-11-20T10:05:00Z\n" +
                                        "t-3,a-2,7.25,2026-11-20T11:00:00Z\n";

    [Fact]
    public async Task Csv_batch_submitted_through_the_gateway_completes_every_stage()
    {
        var dataset = await UniqueDatasetAsync();
        var accepted = await fixture.Api.SubmitBatchAsync(dataset, Transactions, "text/csv");

        var run = await fixture.Api.WaitForRunAsync(accepted.RunId);

        Assert.Equal("completed", run.Status);
        Assert.Equal(dataset, run.Dataset);
        Assert.Equal(3, run.RowCount);
        Assert.Equal(["ingest", "score", "validate"], run.Stages.Select(s => s.Stage).Order());
        Assert.All(run.Stages, s => Assert.Equal("completed", s.Status));
        Assert.All(run.Stages, s => Assert.True(s.DurationMs >= 0));
        Assert.Equal(3, run.Stage("validate").Rows);
        Assert.True(run.Reports.ContainsKey(ReportKinds.Validation));
    }

    [Fact]
    public async Task Raw_batch_is_stored_byte_for_byte_in_the_object_store()
    {
        var accepted = await fixture.Api.SubmitBatchAsync(await UniqueDatasetAsync(), Transactions, "text/csv");

        using var stored = await fixture.ObjectStore.GetObjectAsync(fixture.Bucket, accepted.ObjectKey);
        using var reader = new StreamReader(stored.ResponseStream);
        Assert.Equal(Transactions, await reader.ReadToEndAsync());
        Assert.StartsWith($"raw/{accepted.Dataset}/", accepted.ObjectKey);
    }

    [Fact]
    public async Task One_trace_follows_the_batch_from_gateway_through_ingest_validation_and_scoring()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var accepted = await fixture.Api.SubmitBatchAsync(await UniqueDatasetAsync(), Transactions, "text/csv",
            request => request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01"));
        await fixture.Api.WaitForRunAsync(accepted.RunId);

        string[] services = ["gateway", "ingest", "validation", "scoring", "lineage"];
        // Spans arrive in export batches as they end (children before parents): wait until the trace is whole.
        var spans = await fixture.Telemetry.WaitForSpansAsync(
            all => services.All(service => all.Any(s => s.TraceId == traceId && s.ServiceName == service)) && OrphanedSpans(all, traceId).Count == 1,
            TimeSpan.FromSeconds(30));

        var trace = spans.Where(s => s.TraceId == traceId).ToList();
        // Only the gateway's first span has its parent outside the trace (our client's span); every other span's parent
        // is inside it: the context crossed HTTP (gateway -> ingest) and RabbitMQ (ingest -> validation -> scoring).
        var root = Assert.Single(OrphanedSpans(spans, traceId));
        Assert.Equal("gateway", root.ServiceName);
        const int consumerKind = 5; // OTLP SPAN_KIND_CONSUMER
        Assert.All(new[] { "validation", "scoring", "lineage" }, service => Assert.Contains(trace, s => s.ServiceName == service && s.Kind == consumerKind));
    }

    [Fact]
    public async Task Malformed_csv_ends_in_a_failed_run_with_the_reason()
    {
        var accepted = await fixture.Api.SubmitBatchAsync(await UniqueDatasetAsync(), "id,amount\n1,10\n2,20,extra\n", "text/csv");

        var run = await fixture.Api.WaitForRunAsync(accepted.RunId);

        Assert.Equal("failed", run.Status);
        Assert.Equal("validate", run.Failure?.Stage);
        Assert.Contains("Row 2", run.Failure?.Reason);
        Assert.NotNull(run.CompletedAt);
    }

    [Theory]
    [InlineData("id,amount\n", "text/csv", "header but no rows")]
    [InlineData("[{\"id\": 1}, 42]", "application/json", "not an object")]
    [InlineData("{\"id\": 1}\n{\"id\": \n", "application/x-ndjson", "Line 2")]
    public async Task Unreadable_batches_fail_their_run_with_a_reason(string body, string contentType, string reasonPart)
    {
        var accepted = await fixture.Api.SubmitBatchAsync(await UniqueDatasetAsync(), body, contentType);

        var run = await fixture.Api.WaitForRunAsync(accepted.RunId);

        Assert.Equal("failed", run.Status);
        Assert.Contains(reasonPart, run.Failure?.Reason);
    }

    [Fact]
    public async Task Json_and_ndjson_batches_complete_with_their_row_counts()
    {
        var json = await fixture.Api.SubmitBatchAsync(await UniqueDatasetAsync(), "[{\"transaction_id\":1,\"amount\":3.5},{\"transaction_id\":2,\"amount\":4}]", "application/json");
        var ndjson = await fixture.Api.SubmitBatchAsync(await UniqueDatasetAsync(), "{\"transaction_id\":1}\n{\"transaction_id\":2}\n{\"transaction_id\":3}\n", "application/x-ndjson");

        Assert.Equal(2, (await fixture.Api.WaitForRunAsync(json.RunId)).RowCount);
        Assert.Equal(3, (await fixture.Api.WaitForRunAsync(ndjson.RunId)).RowCount);
    }

    [Fact]
    public async Task Resubmitting_the_same_content_for_the_same_date_returns_the_same_run()
    {
        var dataset = await UniqueDatasetAsync();
        var first = await fixture.Api.SubmitBatchAsync(dataset, Transactions, "text/csv");

        using var again = await fixture.Api.PostBatchAsync(dataset, Transactions, "text/csv");
        var second = await again.Content.ReadFromJsonAsync<AcceptedBatch>();

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(first.RunId, second!.RunId);
        Assert.True(second.Duplicate);
    }

    [Fact]
    public async Task A_repeat_and_a_refused_key_leave_only_the_first_runs_objects_in_the_store()
    {
        var dataset = await UniqueDatasetAsync();
        var key = Guid.NewGuid().ToString();
        var first = await fixture.Api.SubmitBatchAsync(dataset, Transactions, "text/csv", r => r.Headers.Add("Idempotency-Key", key));

        // Neither the repeat nor the refused reuse of the key may leave a copy of its body in the object store.
        using var repeat = await fixture.Api.PostBatchAsync(dataset, Transactions, "text/csv");
        using var reused = await fixture.Api.PostBatchAsync(dataset, Transactions + "t-4,a-3,1.00,2026-11-20T12:00:00Z\n", "text/csv",
            configure: r => r.Headers.Add("Idempotency-Key", key));

        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        var stored = (await fixture.ObjectStore.ListObjectsV2Async(new() { BucketName = fixture.Bucket, Prefix = $"raw/{dataset}/" })).S3Objects ?? [];
        Assert.Contains(stored, o => o.Key == first.ObjectKey);
        Assert.All(stored, o => Assert.Contains(first.RunId.ToString(), o.Key));
    }

    [Fact]
    public async Task An_explicit_rerun_creates_a_new_run_for_the_same_content()
    {
        var dataset = await UniqueDatasetAsync();
        var first = await fixture.Api.SubmitBatchAsync(dataset, Transactions, "text/csv");

        using var rerun = await fixture.Api.PostBatchAsync(dataset, Transactions, "text/csv", query: "?rerun=true");
        var second = await rerun.Content.ReadFromJsonAsync<AcceptedBatch>();

        Assert.Equal(HttpStatusCode.Accepted, rerun.StatusCode);
        Assert.NotEqual(first.RunId, second!.RunId);
        Assert.Equal("completed", (await fixture.Api.WaitForRunAsync(second.RunId)).Status);
    }

    [Fact]
    public async Task Idempotency_key_reused_with_different_content_is_refused_not_answered_with_the_first_run()
    {
        var dataset = await UniqueDatasetAsync();
        var key = Guid.NewGuid().ToString();
        var first = await fixture.Api.SubmitBatchAsync(dataset, Transactions, "text/csv", r => r.Headers.Add("Idempotency-Key", key));

        using var retry = await fixture.Api.PostBatchAsync(dataset, Transactions + "t-4,a-3,1.00,2026-11-20T12:00:00Z\n", "text/csv",
            configure: r => r.Headers.Add("Idempotency-Key", key));

        // The new rows would otherwise be dropped with a success status (issue 14).
        Assert.Equal(HttpStatusCode.UnprocessableEntity, retry.StatusCode);
        Assert.Contains(first.RunId.ToString(), await retry.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("application/xml", "<rows/>", 415)]
    [InlineData("text/csv", "", 400)]
    public async Task Bad_submissions_get_problem_json(string contentType, string body, int expectedStatus)
    {
        using var response = await fixture.Api.PostBatchAsync(await UniqueDatasetAsync(), body, contentType);

        await AssertProblemAsync(response, expectedStatus);
    }

    [Fact]
    public async Task Invalid_dataset_name_gets_problem_json_400()
    {
        using var response = await fixture.Api.PostBatchAsync("Bad%20Name", "a\n1\n", "text/csv");

        await AssertProblemAsync(response, 400);
    }

    [Fact]
    public async Task Batch_for_an_unregistered_dataset_gets_problem_json_404()
    {
        using var response = await fixture.Api.PostBatchAsync($"tests.unregistered_{Guid.NewGuid():n}"[..30], "a\n1\n", "text/csv");

        var problem = await AssertProblemAsync(response, 404);
        Assert.Contains("not registered", problem.Detail);
    }

    private static async Task<Problem> AssertProblemAsync(HttpResponseMessage response, int expectedStatus)
    {
        Assert.Equal(expectedStatus, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await VigilClient.ReadProblemAsync(response);
        Assert.Equal(expectedStatus, problem.Status);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
        return problem;
    }

    [Fact]
    public async Task Unknown_run_is_a_problem_json_404()
    {
        using var response = await fixture.Gateway.GetAsync($"/api/runs/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Runs_can_be_listed_by_dataset()
    {
        var dataset = await UniqueDatasetAsync();
        var accepted = await fixture.Api.SubmitBatchAsync(dataset, Transactions, "text/csv");
        await fixture.Api.WaitForRunAsync(accepted.RunId);

        var page = await fixture.Api.ListRunsAsync($"dataset={dataset}");

        Assert.Equal(1, page.Total);
        Assert.Equal(accepted.RunId, page.Items[0].RunId);
    }

    private static List<Telemetry.ReceivedSpan> OrphanedSpans(IReadOnlyList<Telemetry.ReceivedSpan> spans, string traceId)
    {
        var trace = spans.Where(s => s.TraceId == traceId).ToList();
        var ids = trace.Select(s => s.SpanId).ToHashSet();
        return [.. trace.Where(s => !ids.Contains(s.ParentSpanId))];
    }

    private async Task<string> UniqueDatasetAsync()
    {
        var name = $"tests.batch_{Guid.NewGuid():n}"[..30];
        await fixture.RegisterDatasetAsync(name);
        return name;
    }
}
