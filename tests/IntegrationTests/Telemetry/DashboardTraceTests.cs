using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Telemetry;

/// <summary>The Aspire dashboard receives every service's traces, metrics and logs: one batch is one trace across all of them.</summary>
[Collection(VigilAppCollection.Name)]
public sealed class DashboardTraceTests(VigilAppFixture fixture)
{
    [Fact]
    public async Task One_batch_is_one_trace_in_the_dashboard_from_the_gateway_through_every_service()
    {
        var traceId = await TracedBatch.SubmitAsync(fixture);

        // Spans arrive in export batches as they end (children before parents): wait until the trace is whole.
        var spans = await fixture.Telemetry.WaitForSpansAsync(all =>
        {
            var trace = all.Where(s => s.TraceId == traceId).ToList();
            return TracedBatch.Services.All(service => trace.Any(s => s.ServiceName == service)) && TracedBatch.Orphans(trace).Count == 1;
        }, TimeSpan.FromSeconds(60), traceId);

        var trace = spans.Where(s => s.TraceId == traceId).ToList();
        Assert.Equal(TracedBatch.Services.Order(), trace.Select(s => s.ServiceName).Distinct().Order());
        // Only the gateway's first span has its parent outside the trace (our client's span): the context crossed HTTP
        // (gateway -> ingest) and RabbitMQ (ingest -> validation -> scoring, lineage and alerting listening).
        Assert.Equal("gateway", Assert.Single(TracedBatch.Orphans(trace)).ServiceName);
        const int consumerKind = 5; // OTLP SPAN_KIND_CONSUMER
        Assert.All(new[] { "validation", "scoring", "lineage", "alerting" },
            service => Assert.Contains(trace, s => s.ServiceName == service && s.Kind == consumerKind));
    }

    [Fact]
    public async Task The_dashboard_also_holds_every_services_logs_and_metrics()
    {
        await TracedBatch.SubmitAsync(fixture);

        var logs = await fixture.Telemetry.WaitForResourcesAsync("logs", TracedBatch.Services, TimeSpan.FromSeconds(30));
        var metrics = await fixture.Telemetry.WaitForResourcesAsync("metrics", TracedBatch.Services, TimeSpan.FromSeconds(30));

        Assert.Subset(logs.ToHashSet(), TracedBatch.Services.ToHashSet());
        Assert.Subset(metrics.ToHashSet(), TracedBatch.Services.ToHashSet());
    }
}
