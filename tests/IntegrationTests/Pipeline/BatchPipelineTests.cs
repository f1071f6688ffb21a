using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
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
        var accepted = await SubmitAsync(dataset, Transactions, "text/csv");

        var run = await fixture.WaitForRunToEndAsync(accepted.RunId);

        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal(dataset, run.GetProperty("dataset").GetString());
        Assert.Equal(3, run.GetProperty("rowCount").GetInt64());
        var stages = run.GetProperty("stages").EnumerateArray().ToDictionary(s => s.GetProperty("stage").GetString()!);
        Assert.Equal(["ingest", "score", "validate"], stages.Keys.Order());
        Assert.All(stages.Values, s => Assert.Equal("completed", s.GetProperty("status").GetString()));
        Assert.All(stages.Values, s => Assert.True(s.GetProperty("durationMs").GetDouble() >= 0));
        Assert.Equal(3, stages["validate"].GetProperty("rows").GetInt64());
        Assert.True(run.GetProperty("reports").TryGetProperty("validation", out _));
    }

    [Fact]
    public async Task Raw_batch_is_stored_byte_for_byte_in_the_object_store()
    {
        var accepted = await SubmitAsync(await UniqueDatasetAsync(), Transactions, "text/csv");

        using var stored = await fixture.ObjectStore.GetObjectAsync(fixture.Bucket, accepted.ObjectKey);
        using var reader = new StreamReader(stored.ResponseStream);
        Assert.Equal(Transactions, await reader.ReadToEndAsync());
        Assert.StartsWith($"raw/{accepted.Dataset}/", accepted.ObjectKey);
    }

    [Fact]
    public async Task One_trace_follows_the_batch_from_gateway_through_ingest_validation_and_scoring()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var accepted = await SubmitAsync(await UniqueDatasetAsync(), Transactions, "text/csv",
            request => request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01"));
        await fixture.WaitForRunToEndAsync(accepted.RunId);

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
        var accepted = await SubmitAsync(await UniqueDatasetAsync(), "id,amount\n1,10\n2,20,extra\n", "text/csv");

        var run = await fixture.WaitForRunToEndAsync(accepted.RunId);

        Assert.Equal("failed", run.GetProperty("status").GetString());
        var failure = run.GetProperty("failure");
        Assert.Equal("validate", failure.GetProperty("stage").GetString());
        Assert.Contains("Row 2", failure.GetProperty("reason").GetString());
        Assert.NotEqual(JsonValueKind.Null, run.GetProperty("completedAt").ValueKind);
    }

    [Theory]
    [InlineData("id,amount\n", "text/csv", "header but no rows")]
    [InlineData("[{\"id\": 1}, 42]", "application/json", "not an object")]
    [InlineData("{\"id\": 1}\n{\"id\": \n", "application/x-ndjson", "Line 2")]
    public async Task Unreadable_batches_fail_their_run_with_a_reason(string body, string contentType, string reasonPart)
    {
        var accepted = await SubmitAsync(await UniqueDatasetAsync(), body, contentType);

        var run = await fixture.WaitForRunToEndAsync(accepted.RunId);

        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Contains(reasonPart, run.GetProperty("failure").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Json_and_ndjson_batches_complete_with_their_row_counts()
    {
        var json = await SubmitAsync(await UniqueDatasetAsync(), "[{\"transaction_id\":1,\"amount\":3.5},{\"transaction_id\":2,\"amount\":4}]", "application/json");
        var ndjson = await SubmitAsync(await UniqueDatasetAsync(), "{\"transaction_id\":1}\n{\"transaction_id\":2}\n{\"transaction_id\":3}\n", "application/x-ndjson");

        Assert.Equal(2, (await fixture.WaitForRunToEndAsync(json.RunId)).GetProperty("rowCount").GetInt64());
        Assert.Equal(3, (await fixture.WaitForRunToEndAsync(ndjson.RunId)).GetProperty("rowCount").GetInt64());
    }

    [Fact]
    public async Task Resubmitting_the_same_content_for_the_same_date_returns_the_same_run()
    {
        var dataset = await UniqueDatasetAsync();
        var first = await SubmitAsync(dataset, Transactions, "text/csv");

        using var again = await PostAsync(dataset, Transactions, "text/csv");
        var second = await again.Content.ReadFromJsonAsync<Accepted>();

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(first.RunId, second!.RunId);
        Assert.True(second.Duplicate);
    }

    [Fact]
    public async Task An_explicit_rerun_creates_a_new_run_for_the_same_content()
    {
        var dataset = await UniqueDatasetAsync();
        var first = await SubmitAsync(dataset, Transactions, "text/csv");

        using var rerun = await PostAsync(dataset, Transactions, "text/csv", query: "?rerun=true");
        var second = await rerun.Content.ReadFromJsonAsync<Accepted>();

        Assert.Equal(HttpStatusCode.Accepted, rerun.StatusCode);
        Assert.NotEqual(first.RunId, second!.RunId);
        Assert.Equal("completed", (await fixture.WaitForRunToEndAsync(second.RunId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Idempotency_key_reused_with_different_content_is_refused_not_answered_with_the_first_run()
    {
        var dataset = await UniqueDatasetAsync();
        var key = Guid.NewGuid().ToString();
        var first = await SubmitAsync(dataset, Transactions, "text/csv", r => r.Headers.Add("Idempotency-Key", key));

        using var retry = await PostAsync(dataset, Transactions + "t-4,a-3,1.00,2026-11-20T12:00:00Z\n", "text/csv",
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
        using var response = await PostAsync(await UniqueDatasetAsync(), body, contentType);

        await AssertProblemAsync(response, expectedStatus);
    }

    [Fact]
    public async Task Invalid_dataset_name_gets_problem_json_400()
    {
        using var response = await PostAsync("Bad%20Name", "a\n1\n", "text/csv");

        await AssertProblemAsync(response, 400);
    }

    [Fact]
    public async Task Batch_for_an_unregistered_dataset_gets_problem_json_404()
    {
        using var response = await PostAsync($"tests.unregistered_{Guid.NewGuid():n}"[..30], "a\n1\n", "text/csv");

        var problem = await AssertProblemAsync(response, 404);
        Assert.Contains("not registered", problem.GetProperty("detail").GetString());
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, int expectedStatus)
    {
        Assert.Equal(expectedStatus, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(expectedStatus, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
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
        var accepted = await SubmitAsync(dataset, Transactions, "text/csv");
        await fixture.WaitForRunToEndAsync(accepted.RunId);

        var page = await fixture.Gateway.GetFromJsonAsync<JsonElement>($"/api/runs?dataset={dataset}");

        Assert.Equal(1, page.GetProperty("total").GetInt64());
        Assert.Equal(accepted.RunId, page.GetProperty("items")[0].GetProperty("runId").GetGuid());
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

    private async Task<Accepted> SubmitAsync(string dataset, string body, string contentType, Action<HttpRequestMessage>? configure = null)
    {
        using var response = await PostAsync(dataset, body, contentType, configure: configure);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Expected 202, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal($"/api/runs/", response.Headers.Location?.OriginalString[..10]);
        return (await response.Content.ReadFromJsonAsync<Accepted>())!;
    }

    private Task<HttpResponseMessage> PostAsync(string dataset, string body, string contentType, string query = "", Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/datasets/{dataset}/batches{query}")
        {
            Content = new StringContent(body, Encoding.UTF8, contentType),
        };
        configure?.Invoke(request);
        return fixture.Gateway.SendAsync(request);
    }

    private sealed record Accepted(Guid RunId, string Dataset, string ObjectKey, bool Duplicate);
}
