using OpenTelemetry.Trace;
using Vigil.IntegrationTests.Telemetry;

namespace Vigil.Telemetry.UnitTests;

public sealed class OtlpReceiverWaitTests
{
    [Fact]
    public async Task Wait_times_out_with_the_services_and_span_names_it_did_receive()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        using var source = TestTelemetry.NewSource();
        using (var tracing = TestTelemetry.StartTracing(receiver, "gateway", source))
        {
            source.StartActivity("POST /api/datasets")!.Dispose();
            source.StartActivity("POST /api/datasets")!.Dispose();
            source.StartActivity("GET /health")!.Dispose();
            Assert.True(tracing.ForceFlush(10_000));
        }

        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            receiver.WaitForSpansAsync(s => s.Any(span => span.ServiceName == "scoring"), TimeSpan.FromMilliseconds(200)));

        Assert.Contains("0.2 s", error.Message);
        Assert.Contains("Received 3 span(s) in 1 trace request(s)", error.Message);
        Assert.Contains("gateway (3 trace(s)): 'GET /health', 'POST /api/datasets' x2", error.Message);
    }

    [Fact]
    public async Task Wait_on_a_receiver_that_got_nothing_says_so()
    {
        await using var receiver = await OtlpReceiver.StartAsync();

        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            receiver.WaitForSpansAsync(s => s.Count > 0, TimeSpan.FromMilliseconds(50)));

        Assert.Contains("Received 0 span(s)", error.Message);
        Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT", error.Message);
    }

    [Fact]
    public async Task Wait_returns_as_soon_as_spans_arriving_later_satisfy_the_condition()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        using var source = TestTelemetry.NewSource();
        var waiting = receiver.WaitForSpansAsync(s => s.Any(span => span.Name == "score batch"), TimeSpan.FromMinutes(1));
        Assert.False(waiting.IsCompleted);

        using (var tracing = TestTelemetry.StartTracing(receiver, "scoring", source))
        {
            source.StartActivity("score batch")!.Dispose();
            Assert.True(tracing.ForceFlush(10_000));
        }

        // Woken by the arrival itself, long before the wait's own one-minute timeout.
        var spans = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("score batch", Assert.Single(spans).Name);
    }

    [Fact]
    public async Task Wait_honours_the_callers_cancellation_as_cancellation_not_timeout()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            receiver.WaitForSpansAsync(_ => false, TimeSpan.FromSeconds(10), cancel.Token));
    }
}
