using System.Globalization;
using System.Text;

namespace Vigil.IntegrationTests.Telemetry;

/// <summary>Thread-safe store behind <see cref="OtlpReceiver"/>: spans, request counts and a change signal to wait on.</summary>
internal sealed class ReceivedTelemetry
{
    private readonly Lock gate = new();
    private readonly List<ReceivedSpan> spans = [];
    private readonly List<string> rejections = [];
    private TaskCompletionSource changed = NewSignal();
    private int traceRequests;
    private int metricsRequests;
    private int logsRequests;

    public int TraceRequests => Volatile.Read(ref traceRequests);

    public int MetricsRequests => Volatile.Read(ref metricsRequests);

    public int LogsRequests => Volatile.Read(ref logsRequests);

    public IReadOnlyList<ReceivedSpan> Spans
    {
        get
        {
            lock (gate)
            {
                return spans.ToArray();
            }
        }
    }

    public void AddSpans(IReadOnlyList<ReceivedSpan> received)
    {
        Interlocked.Increment(ref traceRequests);
        lock (gate)
        {
            spans.AddRange(received);
        }

        Signal();
    }

    public void CountMetricsRequest()
    {
        Interlocked.Increment(ref metricsRequests);
        Signal();
    }

    public void CountLogsRequest()
    {
        Interlocked.Increment(ref logsRequests);
        Signal();
    }

    public void Reject(string reason)
    {
        lock (gate)
        {
            rejections.Add(reason);
        }

        Signal();
    }

    public async Task<IReadOnlyList<ReceivedSpan>> WaitForSpansAsync(
        Func<IReadOnlyList<ReceivedSpan>, bool> until,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            ReceivedSpan[] snapshot;
            Task next;
            lock (gate)
            {
                snapshot = spans.ToArray();
                next = changed.Task;
            }

            if (until(snapshot))
            {
                return snapshot;
            }

            try
            {
                await next.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                snapshot = [.. Spans];
                return until(snapshot) ? snapshot : throw new TimeoutException(Describe(timeout, snapshot));
            }
        }
    }

    private string Describe(TimeSpan timeout, ReceivedSpan[] snapshot)
    {
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"The OTLP receiver's spans did not satisfy the condition within {timeout.TotalSeconds:0.###} s. ")
            .Append(CultureInfo.InvariantCulture, $"Received {snapshot.Length} span(s) in {TraceRequests} trace request(s), ")
            .Append(CultureInfo.InvariantCulture, $"{MetricsRequests} metrics request(s), {LogsRequests} logs request(s).");
        if (snapshot.Length == 0)
        {
            text.Append(" No spans at all: is OTEL_EXPORTER_OTLP_ENDPOINT set for the process, and did it flush?");
        }

        foreach (var service in snapshot.GroupBy(s => s.ServiceName).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var names = service
                .GroupBy(s => s.Name)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.Count() == 1 ? $"'{g.Key}'" : $"'{g.Key}' x{g.Count()}");
            var traces = service.Select(s => s.TraceId).Distinct().Count();
            var serviceName = service.Key.Length == 0 ? "(no service.name)" : service.Key;
            text.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}  {serviceName} ({traces} trace(s)): {string.Join(", ", names)}");
        }

        lock (gate)
        {
            foreach (var rejection in rejections)
            {
                text.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}  rejected request: {rejection}");
            }
        }

        return text.ToString();
    }

    private void Signal()
    {
        TaskCompletionSource previous;
        lock (gate)
        {
            previous = changed;
            changed = NewSignal();
        }

        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
