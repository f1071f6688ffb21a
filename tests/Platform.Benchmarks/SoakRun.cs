using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Scoring.Benchmarks;

namespace Vigil.Platform.Benchmarks;

/// <summary>
/// Scoring's memory over a long day: scored batches (200 by default) with a new model trained and promoted after
/// every fourth (50 trainings), Scoring's resident memory read after each. Bounded caches show as a curve that stops
/// rising after warm-up; a leak shows as steady growth. At the end Scoring is left idle past its memory release
/// (Memory:IdleRelease, 30 s by default) and read once more.
/// </summary>
public static class SoakRun
{
    public const int DefaultBatches = 200;
    public const int TrainEvery = 4;

    /// <summary>Longer than Scoring's default idle release (30 s), so the last reading is after it.</summary>
    public static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(40);

    public sealed record Result(IReadOnlyList<(int Batch, int Trainings, long ResidentBytes)> Curve, long IdleResidentBytes);

    public static async Task<Result> RunAsync(HttpClient gateway, ServiceProcesses processes,
        int rows, int batches, Func<string, IReadOnlyList<string>, Task> register, CancellationToken token)
    {
        const string dataset = "bench.soak";
        var keys = SeedDatasets.Banking(rows, seed: 1).KeyColumns;
        await register(dataset, keys);
        var curve = new List<(int, int, long)>();
        var trainings = 0;
        for (var i = 1; i <= batches; i++)
        {
            var csv = SeedDatasets.Banking(rows, seed: 100 + i).Csv;
            var timing = await RunTiming.SubmitAsync(gateway, () => new HttpRequestMessage(HttpMethod.Post,
                $"/api/datasets/{dataset}/batches?executionDate={new DateOnly(2025, 1, 1).AddDays(i):yyyy-MM-dd}")
            {
                Content = new ByteArrayContent(csv) { Headers = { ContentType = new("text/csv") } },
            }, TimeSpan.FromMinutes(5), token);
            if (timing.Status != "completed") throw new InvalidOperationException($"Soak batch {i} ended {timing.Status}.");
            if (i % TrainEvery == 0)
            {
                using var trained = await gateway.PostAsJsonAsync($"/api/datasets/{dataset}/models", new { runId = timing.RunId }, token);
                trained.EnsureSuccessStatusCode();
                var version = (await trained.Content.ReadFromJsonAsync<JsonElement>(token)).GetProperty("version").GetInt32();
                using var promoted = await gateway.PostAsync($"/api/datasets/{dataset}/models/{version}/promote", null, token);
                promoted.EnsureSuccessStatusCode();
                trainings++;
            }
            var resident = ScoringResident(processes);
            curve.Add((i, trainings, resident));
            if (i % 10 == 0) Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  soak batch {i}: {trainings} trainings, scoring resident {resident / 1048576.0:0} MiB"));
        }
        await Task.Delay(IdleWait, token);
        return new Result(curve, ScoringResident(processes));
    }

    private static long ScoringResident(ServiceProcesses processes) => processes.Read().GetValueOrDefault("scoring")?.ResidentBytes ?? 0;

    /// <summary>Least-squares slope of resident memory over the second half of the batches, in MiB per 100 batches (0 with fewer than 4).</summary>
    public static double SecondHalfSlope(IReadOnlyList<(int Batch, int Trainings, long ResidentBytes)> curve)
    {
        var half = curve.Skip(curve.Count / 2).Select(c => (X: (double)c.Batch, Y: c.ResidentBytes / 1048576.0)).ToList();
        if (half.Count < 4) return 0;
        var meanX = half.Average(p => p.X);
        var meanY = half.Average(p => p.Y);
        var slope = half.Sum(p => (p.X - meanX) * (p.Y - meanY)) / half.Sum(p => (p.X - meanX) * (p.X - meanX));
        return slope * 100;
    }

    public static string ToMarkdown(Result result, int rows)
    {
        var curve = result.Curve;
        var text = new System.Text.StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Soak: {curve.Count} batches of {rows:N0} rows, a model trained and promoted after every {TrainEvery}th.");
        text.AppendLine();
        text.AppendLine("| after batch | trainings | Scoring resident memory |");
        text.AppendLine("|---|---|---|");
        foreach (var (batch, trainings, resident) in curve.Where(c => c.Batch % 20 == 0 || c.Batch == 1))
            text.AppendLine(CultureInfo.InvariantCulture, $"| {batch} | {trainings} | {resident / 1048576.0:0} MiB |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| then {IdleWait.TotalSeconds:0} s idle | {curve.LastOrDefault().Trainings} | {result.IdleResidentBytes / 1048576.0:0} MiB |");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Second half of the batches: resident memory changes by {SecondHalfSlope(curve):+0;-0;0} MiB per 100 batches (least squares over every batch).");
        return text.ToString();
    }
}
