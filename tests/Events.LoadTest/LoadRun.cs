using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Vigil.Events.LoadTest;

/// <summary>What one run at one target rate achieved.</summary>
public sealed record LoadResult(
    int TargetRate, double AchievedRate, long Accepted, long Refused429, long Failed, double HttpP50, double HttpP95, double HttpP99,
    long Scored, JsonElement? EventLatencyMs, JsonElement? AnomalyLatencyMs, long Anomalies)
{
    public double? EventP95 => EventLatencyMs?.GetProperty("p95").GetDouble();

    public override string ToString() =>
        $"target {TargetRate}/s: sent {AchievedRate:0}/s accepted {Accepted} events, 429 x{Refused429}, failed x{Failed}; " +
        $"HTTP p50/p95/p99 {HttpP50:0}/{HttpP95:0}/{HttpP99:0} ms; scored {Scored}, anomalies {Anomalies}; " +
        $"accept->persisted per event (upper bound) {Describe(EventLatencyMs)}; per anomaly (exact) {Describe(AnomalyLatencyMs)}";

    private static string Describe(JsonElement? p) => p is { ValueKind: JsonValueKind.Object } v
        ? $"p50 {v.GetProperty("p50").GetDouble():0} / p95 {v.GetProperty("p95").GetDouble():0} / p99 {v.GetProperty("p99").GetDouble():0} / max {v.GetProperty("max").GetDouble():0} ms"
        : "n/a";
}

/// <summary>
/// Sends NDJSON requests at a target event rate (open loop: each request is due at its own time, whether or not earlier
/// ones were answered) over a fixed number of connections for a bounded time, then waits for Scoring to store them all
/// and reads the accept-to-persisted latencies Scoring recorded.
/// </summary>
public sealed class LoadRun(HttpClient gateway, LoadOptions options)
{
    public async Task<string> RegisterDatasetAsync()
    {
        var dataset = $"loadtest.events_{Guid.NewGuid():n}"[..30];
        using var response = await gateway.PostAsJsonAsync("/api/datasets", new
        {
            name = dataset, keyColumns = new[] { "event_id" }, entityColumn = "account_id", timestampColumn = "booked_at",
        });
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"Registering {dataset} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return dataset;
    }

    public async Task<LoadResult> RunAsync(string dataset, int rate)
    {
        var generator = new EventGenerator(options.Accounts, options.OutlierShare, seed: rate);
        var requests = (long)rate * options.DurationSeconds / options.EventsPerRequest;
        var interval = TimeSpan.FromSeconds((double)options.EventsPerRequest / rate);
        var latencies = new ConcurrentBag<double>();
        long accepted = 0, refused = 0, failed = 0, next = -1;
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var clock = Stopwatch.StartNew();

        async Task Worker()
        {
            while (true)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= requests) return;
                var due = interval * index;
                if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
                var body = generator.NextBody(options.EventsPerRequest);
                var sent = clock.Elapsed;
                try
                {
                    using var response = await gateway.PostAsync($"/api/datasets/{dataset}/events",
                        new StringContent(body, Encoding.UTF8, "application/x-ndjson"));
                    latencies.Add((clock.Elapsed - sent).TotalMilliseconds);
                    if (response.StatusCode == HttpStatusCode.Accepted) Interlocked.Add(ref accepted, options.EventsPerRequest);
                    else if (response.StatusCode == HttpStatusCode.TooManyRequests) Interlocked.Increment(ref refused);
                    else
                    {
                        if (Interlocked.Increment(ref failed) <= 3)
                            Console.Error.WriteLine($"  {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    }
                }
                catch (HttpRequestException e)
                {
                    if (Interlocked.Increment(ref failed) <= 3) Console.Error.WriteLine($"  {e.Message}");
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, options.Connections).Select(_ => Task.Run(Worker)));
        var elapsed = clock.Elapsed.TotalSeconds;
        var stats = await WaitForScoredAsync(dataset, since, accepted);
        var http = latencies.ToArray();
        return new LoadResult(rate, accepted / elapsed, accepted, refused, failed,
            Percentiles.Of(http, 50), Percentiles.Of(http, 95), Percentiles.Of(http, 99),
            stats.GetProperty("events").GetInt64(), Optional(stats, "eventLatencyMs"), Optional(stats, "anomalyLatencyMs"),
            stats.GetProperty("anomalies").GetInt64());
    }

    private async Task<JsonElement> WaitForScoredAsync(string dataset, DateTimeOffset since, long accepted)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        JsonElement stats;
        do
        {
            await Task.Delay(500);
            stats = await gateway.GetFromJsonAsync<JsonElement>(
                $"/api/datasets/{dataset}/events/stats?since={Uri.EscapeDataString(since.ToString("O"))}");
        }
        while (stats.GetProperty("events").GetInt64() < accepted && DateTime.UtcNow < deadline);
        return stats;
    }

    private static JsonElement? Optional(JsonElement stats, string name) =>
        stats.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value.Clone() : null;
}
