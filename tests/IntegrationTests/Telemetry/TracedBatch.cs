using System.Diagnostics;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Telemetry;

/// <summary>A small CSV batch submitted through the gateway under a trace id of our choosing, followed to its end.</summary>
internal static class TracedBatch
{
    /// <summary>Every service a batch passes through: the gateway, the stages, lineage (the run's record) and alerting (its policies).</summary>
    public static readonly string[] Services = ["gateway", "ingest", "validation", "scoring", "lineage", "alerting"];

    private const string Transactions = "transaction_id,account_id,amount,booked_at\n" +
                                        "t-1,a-1,12.50,2026-11-20T10:00:00Z\n" +
                                        "t-2,a-1,7.25,2026-11-20T10:05:00Z\n";

    /// <summary>Submits the batch with a traceparent header and waits until its run has ended; returns the trace id.</summary>
    public static async Task<string> SubmitAsync(VigilAppFixture fixture)
    {
        var dataset = $"tests.traced_{Guid.NewGuid():n}"[..30];
        await fixture.RegisterDatasetAsync(dataset);
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var accepted = await fixture.Api.SubmitBatchAsync(dataset, Transactions, configure: request =>
            request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01"));
        await fixture.Api.WaitForRunAsync(accepted.RunId);
        return traceId;
    }

    /// <summary>The trace's spans whose parent is not in the trace: only the gateway's first one when the trace is whole.</summary>
    public static List<ReceivedSpan> Orphans(IEnumerable<ReceivedSpan> trace)
    {
        var spans = trace.ToList();
        var ids = spans.Select(s => s.SpanId).ToHashSet();
        return [.. spans.Where(s => !ids.Contains(s.ParentSpanId))];
    }
}
