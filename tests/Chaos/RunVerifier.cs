using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Vigil.Chaos;

/// <summary>
/// Reads back what became of every accepted batch through the public API: waits (bounded) until each run has ended,
/// downloads every report of the completed ones, and counts runs per dataset and execution date.
/// </summary>
public sealed class RunVerifier(HttpClient gateway)
{
    private const int Parallelism = 6;

    /// <summary>Polls the runs until every one has ended or <paramref name="budget"/> is spent; sets each batch's outcome.</summary>
    public async Task WaitForRunsAsync(IReadOnlyList<SubmittedBatch> batches, TimeSpan budget, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + budget;
        var pending = batches.Where(b => b.RunId is not null).ToList();
        while (pending.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                async (batch, token) => await RefreshAsync(batch, token));
            pending = [.. pending.Where(b => b.Status is not ("completed" or "failed"))];
            if (pending.Count > 0) await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    /// <summary>Downloads each report a completed run lists; records those that do not come back whole.</summary>
    public async Task CheckReportsAsync(IReadOnlyList<SubmittedBatch> batches, CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(batches.Where(b => b.Status == "completed"),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (batch, token) =>
            {
                using var run = await gateway.GetAsync($"/api/runs/{batch.RunId}", token);
                var reports = (await run.Content.ReadFromJsonAsync<JsonElement>(token)).GetProperty("reports");
                if (!reports.EnumerateObject().Any()) batch.MissingReports.Add("(none listed)");
                foreach (var report in reports.EnumerateObject())
                {
                    using var response = await gateway.GetAsync($"/api/runs/{batch.RunId}/reports/{report.Name}", HttpCompletionOption.ResponseContentRead, token);
                    if (response.StatusCode != HttpStatusCode.OK || (await response.Content.ReadAsByteArrayAsync(token)).Length == 0)
                        batch.MissingReports.Add($"{report.Name}: {(int)response.StatusCode}");
                }
            });

    /// <summary>Runs per (dataset, execution date) for the given datasets, as <c>GET /api/runs</c> lists them.</summary>
    public async Task<IReadOnlyDictionary<(string Dataset, DateOnly Date), int>> CountRunsAsync(IEnumerable<string> datasets, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<(string, DateOnly), int>();
        foreach (var dataset in datasets)
        {
            for (var offset = 0; ; offset += 500)
            {
                var page = await gateway.GetFromJsonAsync<JsonElement>($"/api/runs?dataset={Uri.EscapeDataString(dataset)}&limit=500&offset={offset}", cancellationToken);
                var items = page.GetProperty("items").EnumerateArray().ToList();
                foreach (var run in items)
                {
                    if (run.GetProperty("executionDate").GetString() is not { } date) continue;
                    var key = (dataset, DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture));
                    counts[key] = counts.GetValueOrDefault(key) + 1;
                }
                if (items.Count < 500) break;
            }
        }
        return counts;
    }

    private async Task RefreshAsync(SubmittedBatch batch, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await gateway.GetAsync($"/api/runs/{batch.RunId}", cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound) return;
            if (!response.IsSuccessStatusCode) return; // the API itself may be recovering: ask again next round
            var run = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            batch.Status = run.GetProperty("status").GetString();
            batch.FailureReason = run.TryGetProperty("failure", out var failure) && failure.ValueKind == JsonValueKind.Object
                ? $"{failure.GetProperty("stage")}: {failure.GetProperty("reason")}" : null;
            batch.CompletedStages = [.. run.GetProperty("stages").EnumerateArray()
                .Where(s => s.GetProperty("status").GetString() == "completed").Select(s => s.GetProperty("stage").GetString()!)];
            batch.RedriveNote = run.GetProperty("stages").EnumerateArray()
                .Where(s => s.GetProperty("stage").GetString() == "ingest" && s.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String)
                .Select(s => s.GetProperty("detail").GetString()).FirstOrDefault(d => d!.Contains("redrive", StringComparison.Ordinal));
            if (run.TryGetProperty("durationMs", out var duration) && duration.ValueKind == JsonValueKind.Number)
                batch.CompleteSeconds = duration.GetDouble() / 1000;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Asked again next round.
        }
    }
}
