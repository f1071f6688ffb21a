using Vigil.Lineage.Storage;

namespace Vigil.Lineage.UnitTests.Storage;

public sealed class RunReadModelTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(5L, 1000L, 0.005)]
    [InlineData(0L, 3L, 0.0)]
    [InlineData(1L, 3L, 0.333333)]
    public void Anomaly_rate_is_anomalies_per_row(long anomalies, long rows, double rate) =>
        Assert.Equal(rate, HistoryPoint.AnomalyRateOf(anomalies, rows));

    [Theory]
    [InlineData(null, 10L)]
    [InlineData(2L, null)]
    [InlineData(2L, 0L)]
    public void Anomaly_rate_is_unknown_before_scoring_or_without_rows(long? anomalies, long? rows) =>
        Assert.Null(HistoryPoint.AnomalyRateOf(anomalies, rows));

    [Fact]
    public void Stage_rows_per_second_come_from_its_rows_and_duration()
    {
        var stage = StageView.Create("validate", "completed", T0, T0.AddMilliseconds(250), rows: 1000, runRows: 1000, peakMemoryBytes: 64_000_000, detail: null);

        Assert.Equal(250, stage.DurationMs);
        Assert.Equal(4000, stage.RowsPerSecond);
        Assert.Equal(64_000_000, stage.PeakMemoryBytes);
    }

    [Fact]
    public void Ingest_counts_the_rows_of_the_run_it_stored()
    {
        var ingest = StageView.Create("ingest", "completed", T0, T0.AddMilliseconds(100), rows: null, runRows: 50, peakMemoryBytes: null, detail: null);
        var score = StageView.Create("score", "completed", T0, T0.AddMilliseconds(100), rows: null, runRows: 50, peakMemoryBytes: null, detail: null);

        Assert.Equal(50, ingest.Rows);
        Assert.Equal(500, ingest.RowsPerSecond);
        Assert.Null(score.RowsPerSecond);
    }

    [Fact]
    public void A_stage_without_measurable_duration_has_no_rows_per_second()
    {
        var stage = StageView.Create("score", "completed", T0, T0, rows: 10, runRows: 10, peakMemoryBytes: null, detail: null);

        Assert.Null(stage.RowsPerSecond);
    }

    [Fact]
    public void Run_links_lead_to_events_lineage_history_and_each_report()
    {
        var runId = Guid.CreateVersion7();

        var links = RunLinks.For(runId, "banking.transactions", ["validation", "defects"]);

        Assert.Equal($"/api/lineage/events?runId={runId}", links.Events);
        Assert.Equal("/api/lineage/datasets/banking.transactions", links.Lineage);
        Assert.Equal("/api/datasets/banking.transactions/history", links.History);
        Assert.Equal([$"/api/runs/{runId}/reports/defects", $"/api/runs/{runId}/reports/validation"], links.Reports.Values);
    }
}
