using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Vigil.Platform.Benchmarks;

/// <summary>What one benchmark run measured: medians per phase, per-service CPU and peak memory, and the context.</summary>
public sealed record BenchmarkResult(string Label, DateTimeOffset MeasuredAt, int Rows, int Batches, double LoadAverage,
    double StartSeconds, double TrainSeconds,
    IReadOnlyDictionary<string, double> BatchMedianMs, IReadOnlyDictionary<string, double> ReconcileMedianMs,
    IReadOnlyDictionary<string, ServiceFigures> Services)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The Markdown table the README's performance section quotes, with a saved baseline's figures beside these when given.</summary>
    public string ToMarkdown(BenchmarkResult? baseline)
    {
        var text = new StringBuilder();
        string Seconds(double ms) => double.IsNaN(ms) ? "-" : (ms / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " s";
        string Row(string name, double now, double? before) =>
            before is { } b ? $"| {name} | {Seconds(now)} | {Seconds(b)} |" : $"| {name} | {Seconds(now)} |";
        var header = baseline is null ? "| phase (median) | this run |\n|---|---|" : $"| phase (median) | this run ({Label}) | baseline ({baseline.Label}) |\n|---|---|---|";

        text.AppendLine(CultureInfo.InvariantCulture, $"Batch {Rows:N0} rows, {Batches} measured (after one warm-up and training); load average {LoadAverage:0.0} at the start.");
        text.AppendLine();
        text.AppendLine(header);
        foreach (var (phase, ms) in BatchMedianMs) text.AppendLine(Row(phase, ms, baseline?.BatchMedianMs.GetValueOrDefault(phase)));
        // No training time without a model (--no-model).
        if (TrainSeconds > 0) text.AppendLine(Row("training (one batch)", TrainSeconds * 1000, baseline is null ? null : baseline.TrainSeconds * 1000));
        text.AppendLine(Row("system start to healthy", StartSeconds * 1000, baseline is null ? null : baseline.StartSeconds * 1000));
        if (ReconcileMedianMs.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(header.Replace("phase (median)", "reconciliation, source + target (median)", StringComparison.Ordinal));
            foreach (var (phase, ms) in ReconcileMedianMs) text.AppendLine(Row(phase, ms, baseline?.ReconcileMedianMs.GetValueOrDefault(phase)));
        }
        text.AppendLine();
        text.AppendLine("| service or server | CPU per batch (median) | peak resident memory (max over batches) | resident at the end |");
        text.AppendLine("|---|---|---|---|");
        foreach (var (service, figures) in Services)
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {service} | {figures.CpuSecondsMedian:0.00} s | {figures.PeakResidentBytes / 1048576.0:0} MiB | {figures.ResidentAtEndBytes / 1048576.0:0} MiB |");
        return text.ToString();
    }
}

public sealed record ServiceFigures(double CpuSecondsMedian, long PeakResidentBytes, long ResidentAtEndBytes);
