using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Vigil.Platform.Benchmarks;

/// <summary>
/// One submission timed as a user sees it: from the first byte of the upload to the 202, then the run polled every
/// 50 ms until it ends. Stage ends come from the run's own timeline (the server's clock is this machine's clock);
/// "reports available" and "verdict visible" are when a poll first showed them.
/// </summary>
public sealed record RunTiming(Guid RunId, string Status, double AcceptedMs, IReadOnlyDictionary<string, double> StageEndMs,
    double ReportsAvailableMs, double CompletedMs, double VerdictVisibleMs, IReadOnlyDictionary<string, double> StageDurationMs, long Rows)
{
    public static async Task<RunTiming> SubmitAsync(HttpClient gateway, Func<HttpRequestMessage> request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var uploadStart = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        using var accepted = await gateway.SendAsync(request(), cancellationToken);
        var acceptedMs = clock.Elapsed.TotalMilliseconds;
        if ((int)accepted.StatusCode != 202)
            throw new InvalidOperationException($"Submission answered {(int)accepted.StatusCode}: {await accepted.Content.ReadAsStringAsync(cancellationToken)}");
        var runId = (await accepted.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("runId").GetGuid();

        var reportCounts = new List<(double Ms, int Count)>();
        while (clock.Elapsed < timeout)
        {
            using var response = await gateway.GetAsync($"/api/runs/{runId}", cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                var run = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                var seenMs = clock.Elapsed.TotalMilliseconds;
                reportCounts.Add((seenMs, run.TryGetProperty("reports", out var reports) ? reports.EnumerateObject().Count() : 0));
                var status = run.GetProperty("status").GetString()!;
                var validated = run.TryGetProperty("validation", out var validation) && validation.ValueKind == JsonValueKind.Object;
                if (status == "failed" || (status == "completed" && validated))
                    return From(run, runId, status, uploadStart, acceptedMs, seenMs, reportCounts);
            }
            await Task.Delay(50, cancellationToken);
        }
        throw new TimeoutException($"Run {runId} did not end within {timeout}.");
    }

    private static RunTiming From(JsonElement run, Guid runId, string status, DateTimeOffset uploadStart, double acceptedMs, double seenMs,
        List<(double Ms, int Count)> reportCounts)
    {
        double Since(DateTimeOffset at) => (at - uploadStart).TotalMilliseconds;
        var ends = new Dictionary<string, double>();
        var durations = new Dictionary<string, double>();
        foreach (var stage in run.GetProperty("stages").EnumerateArray())
        {
            var name = stage.GetProperty("stage").GetString()!;
            ends[name] = Since(stage.GetProperty("completedAt").GetDateTimeOffset());
            durations[name] = stage.GetProperty("durationMs").GetDouble();
        }
        var finalCount = reportCounts[^1].Count;
        var reportsAt = reportCounts.First(c => c.Count == finalCount).Ms;
        var completed = run.TryGetProperty("completedAt", out var at) && at.ValueKind == JsonValueKind.String ? Since(at.GetDateTimeOffset()) : seenMs;
        var rows = run.TryGetProperty("rowCount", out var count) && count.ValueKind == JsonValueKind.Number ? count.GetInt64() : 0;
        return new RunTiming(runId, status, acceptedMs, ends, reportsAt, completed, seenMs, durations, rows);
    }
}
