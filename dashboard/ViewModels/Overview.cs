using Vigil.Dashboard.Api;

namespace Vigil.Dashboard.ViewModels;

/// <summary>How a dataset's latest run looks on the overview.</summary>
public enum Verdict { Failed, Stuck, Running, Passed, NoRuns }

/// <summary>One dataset on the overview: its last run's verdict and KPIs, and its DQ trend.</summary>
public sealed record OverviewRow(string Dataset, Verdict Verdict, Guid? LastRunId, DateTimeOffset? LastRunAt, double? DqScore, long? Rows,
    double? AnomalyRate, IReadOnlyList<double?> DqTrend)
{
    /// <summary>A run still running after this long is shown as stuck (the alerting sweeper decides for good; this is the eye's version).</summary>
    public static readonly TimeSpan StuckAfter = TimeSpan.FromMinutes(15);

    public static OverviewRow From(string dataset, IReadOnlyList<HistoryPoint> history, DateTimeOffset now)
    {
        if (history.Count == 0) return new OverviewRow(dataset, Verdict.NoRuns, null, null, null, null, null, []);
        var last = history.MaxBy(p => p.StartedAt)!;
        var verdict = last.Status switch
        {
            "failed" => Verdict.Failed,
            "running" when now - last.StartedAt > StuckAfter => Verdict.Stuck,
            "running" => Verdict.Running,
            _ => Verdict.Passed,
        };
        return new OverviewRow(dataset, verdict, last.RunId, last.StartedAt, last.DqScore, last.RowCount, last.AnomalyRate,
            [.. history.OrderBy(p => p.StartedAt).Select(p => p.DqScore)]);
    }

    /// <summary>Failing and stuck first (what needs a person), then running, then the rest; newest run first within each.</summary>
    public static IReadOnlyList<OverviewRow> Order(IEnumerable<OverviewRow> rows) =>
        [.. rows.OrderBy(r => (int)r.Verdict).ThenByDescending(r => r.LastRunAt ?? DateTimeOffset.MinValue).ThenBy(r => r.Dataset, StringComparer.Ordinal)];

    public string VerdictText => Verdict switch
    {
        Verdict.Failed => "failed",
        Verdict.Stuck => "stuck",
        Verdict.Running => "running",
        Verdict.Passed => "passed",
        _ => "no runs",
    };
}
