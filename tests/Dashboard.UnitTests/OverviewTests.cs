using Vigil.Dashboard.Api;
using Vigil.Dashboard.ViewModels;

namespace Vigil.Dashboard.UnitTests;

public sealed class OverviewTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-03T12:00:00Z");

    private static HistoryPoint Point(string status, int minutesAgo, double? dq = 90, long? rows = 100, double? rate = 0.01) =>
        new(Guid.NewGuid(), null, status, dq, rows, null, rate, Now.AddMinutes(-minutesAgo), null);

    [Fact]
    public void A_dataset_without_runs_says_so()
    {
        var row = OverviewRow.From("empty", [], Now);

        Assert.Equal(Verdict.NoRuns, row.Verdict);
        Assert.Null(row.LastRunId);
        Assert.Empty(row.DqTrend);
    }

    [Fact]
    public void The_latest_run_gives_the_verdict_and_kpis_and_the_trend_runs_oldest_first()
    {
        var latest = Point("failed", 1, dq: 40, rows: 7, rate: 0.5);
        var row = OverviewRow.From("d", [latest, Point("completed", 60, dq: 95), Point("completed", 120, dq: 97)], Now);

        Assert.Equal(Verdict.Failed, row.Verdict);
        Assert.Equal(latest.RunId, row.LastRunId);
        Assert.Equal(7, row.Rows);
        Assert.Equal(0.5, row.AnomalyRate);
        Assert.Equal([97, 95, 40], row.DqTrend);
    }

    [Fact]
    public void A_run_running_longer_than_the_stuck_limit_is_stuck_and_a_recent_one_is_running()
    {
        Assert.Equal(Verdict.Stuck, OverviewRow.From("d", [Point("running", (int)OverviewRow.StuckAfter.TotalMinutes + 1)], Now).Verdict);
        Assert.Equal(Verdict.Running, OverviewRow.From("d", [Point("running", 1)], Now).Verdict);
    }

    [Fact]
    public void Failing_and_stuck_datasets_come_first_then_running_then_passed_newest_first()
    {
        var rows = new[]
        {
            OverviewRow.From("ok-old", [Point("completed", 100)], Now),
            OverviewRow.From("none", [], Now),
            OverviewRow.From("ok-new", [Point("completed", 5)], Now),
            OverviewRow.From("stuck", [Point("running", 60)], Now),
            OverviewRow.From("running", [Point("running", 2)], Now),
            OverviewRow.From("failed", [Point("failed", 300)], Now),
        };

        Assert.Equal(["failed", "stuck", "running", "ok-new", "ok-old", "none"], OverviewRow.Order(rows).Select(r => r.Dataset));
    }
}
