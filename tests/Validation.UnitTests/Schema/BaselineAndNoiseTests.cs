using Vigil.Validation.Datasets;
using Vigil.Validation.Engine;
using Vigil.Validation.Schema;
using static Vigil.Validation.UnitTests.Schema.SchemaTables;

namespace Vigil.Validation.UnitTests.Schema;

/// <summary>What drift reports on small batches, how compatible type changes are graded, and when a batch becomes the baseline.</summary>
public sealed class BaselineAndNoiseTests
{
    private static SchemaSnapshot Batch(int rows, Func<int, double> amount, bool extra = false) => extra
        ? Snapshot(("id", Numbers(rows, i => i + 1)), ("amount", Numbers(rows, amount)), ("note", Texts(rows, i => $"n{i % 3}")))
        : Snapshot(("id", Numbers(rows, i => i + 1)), ("amount", Numbers(rows, amount)));

    [Fact]
    public void Integer_to_decimal_on_a_large_batch_is_an_info_finding_not_a_warning()
    {
        var report = DriftDetector.Compare(Batch(500, i => i % 50), Batch(500, i => i % 50 + 0.5));

        var finding = Assert.Single(report.Findings, f => f.Kind == DriftKind.TypeChanged);
        Assert.Equal(DriftSeverity.Info, finding.Severity);
        Assert.False(finding.Breaking);
        Assert.DoesNotContain(finding, report.Notable);
    }

    [Fact]
    public void Compatible_type_flips_and_profile_shifts_on_small_batches_are_not_reported()
    {
        // Three rows of decimals, then three rows of whole numbers a hundred times larger.
        var report = DriftDetector.Compare(Batch(3, i => i + 0.5), Batch(3, i => (i + 1) * 100));

        Assert.Empty(report.Findings);
    }

    [Fact]
    public void The_same_shift_on_batches_of_the_minimum_size_is_reported()
    {
        var rows = DriftOptions.Default.MinRowsForProfileShift;

        var report = DriftDetector.Compare(Batch(rows, i => 10 + i % 7), Batch(rows, i => 1000 + i % 7));

        Assert.Contains(report.Findings, f => f.Kind == DriftKind.ProfileShift && f.Column == "amount" && f.Severity == DriftSeverity.Warning);
    }

    [Fact]
    public void Incompatible_type_change_stays_breaking_on_a_small_batch()
    {
        var before = Snapshot(("id", Numbers(3, i => i)), ("amount", Numbers(3, i => i)));
        var after = Snapshot(("id", Numbers(3, i => i)), ("amount", Texts(3, i => $"x{i}")));

        var finding = Assert.Single(DriftDetector.Compare(before, after).Findings);

        Assert.Equal(DriftSeverity.Breaking, finding.Severity);
    }

    [Theory]
    [InlineData(DriftPolicy.Warn, false)]
    [InlineData(DriftPolicy.Block, false)]
    [InlineData(DriftPolicy.Evolve, true)]
    public void An_extra_column_becomes_the_baseline_only_under_evolve(DriftPolicy policy, bool advances)
    {
        var baseline = Batch(300, i => i);
        var current = Batch(300, i => i, extra: true);
        var drift = DriftDetector.Compare(baseline, current);

        Assert.False(drift.HasBreaking);
        Assert.Equal(advances, BatchValidation.AdvancesBaseline(policy, baseline, drift, current));
    }

    [Fact]
    public void The_first_batch_sets_the_baseline_and_a_matching_batch_refines_a_declared_or_thin_one()
    {
        var current = Batch(300, i => i);
        var declared = new ExpectedSchema
        {
            Columns = [new ExpectedColumn { Name = "id", Type = Vigil.Tabular.Tables.ColumnType.Integer }, new ExpectedColumn { Name = "amount", Type = Vigil.Tabular.Tables.ColumnType.Integer }],
        }.ToSnapshot();
        var thin = Batch(5, i => i);

        Assert.True(BatchValidation.AdvancesBaseline(DriftPolicy.Block, null, DriftReport.None, current));
        Assert.True(BatchValidation.AdvancesBaseline(DriftPolicy.Block, declared, DriftDetector.Compare(declared, current), current));
        Assert.True(BatchValidation.AdvancesBaseline(DriftPolicy.Block, thin, DriftDetector.Compare(thin, current), current));
        // A full-size baseline is not replaced by a matching batch: profile drift is measured against it.
        var full = Batch(400, i => i);
        Assert.False(BatchValidation.AdvancesBaseline(DriftPolicy.Block, full, DriftDetector.Compare(full, current), current));
    }
}
