using Vigil.Tabular.Tables;
using Vigil.Validation.Schema;
using static Vigil.Validation.UnitTests.Schema.SchemaTables;

namespace Vigil.Validation.UnitTests.Schema;

public sealed class DriftDetectorTests
{
    private const int Rows = 1_000;

    private static IReadOnlyList<string?> Ids => Numbers(Rows, i => i + 1);
    private static IReadOnlyList<string?> Amounts => Numbers(Rows, i => 10 + i % 91);
    private static IReadOnlyList<string?> Statuses => Texts(Rows, i => (i % 3) switch { 0 => "open", 1 => "closed", _ => "pending" });

    private static SchemaSnapshot Baseline() => Snapshot(("id", Ids), ("amount", Amounts), ("status", Statuses));

    [Fact]
    public void Same_shape_and_distribution_gives_no_findings()
    {
        // Same values in another order, and another sample of the same distribution.
        var current = Snapshot(("id", Numbers(Rows, i => Rows - i)), ("amount", Numbers(Rows, i => 10 + (i * 3) % 91)), ("status", Statuses));

        var report = DriftDetector.Compare(Baseline(), current);

        Assert.Empty(report.Findings);
        Assert.False(report.HasBreaking);
        Assert.Equal("", report.DescribeBreaking());
    }

    [Fact]
    public void Added_column_is_reported_and_not_breaking()
    {
        var current = Snapshot(("id", Ids), ("amount", Amounts), ("status", Statuses), ("channel", Texts(Rows, i => i % 2 == 0 ? "web" : "app")));

        var finding = Assert.Single(DriftDetector.Compare(Baseline(), current).Findings);

        Assert.Equal(DriftKind.ColumnAdded, finding.Kind);
        Assert.Equal("channel", finding.Column);
        Assert.False(finding.Breaking);
    }

    [Fact]
    public void Removed_column_is_breaking_and_named_in_the_description()
    {
        var current = Snapshot(("id", Ids), ("status", Statuses));

        var report = DriftDetector.Compare(Baseline(), current);

        var finding = Assert.Single(report.Findings);
        Assert.Equal(DriftKind.ColumnRemoved, finding.Kind);
        Assert.Equal("amount", finding.Column);
        Assert.True(finding.Breaking);
        Assert.True(report.HasBreaking);
        Assert.Contains("'amount'", report.DescribeBreaking());
    }

    [Fact]
    public void Column_renamed_with_another_case_and_separator_is_one_breaking_rename()
    {
        var accepted = Snapshot(("customerId", Ids), ("amount", Amounts));
        var current = Snapshot(("customer_id", Numbers(Rows, i => 5_000 + i)), ("amount", Amounts));

        var finding = Assert.Single(DriftDetector.Compare(accepted, current).Findings);

        Assert.Equal(DriftKind.ColumnRenamed, finding.Kind);
        Assert.Equal("customerId", finding.Column);
        Assert.Equal("customer_id", finding.RelatedColumn);
        Assert.True(finding.Breaking);
    }

    [Fact]
    public void Column_with_a_new_name_but_the_same_profile_is_a_rename()
    {
        var accepted = Snapshot(("id", Ids), ("amount", Amounts));
        var current = Snapshot(("id", Ids), ("value_eur", Numbers(Rows, i => 10 + (i * 5) % 91)));

        var finding = Assert.Single(DriftDetector.Compare(accepted, current).Findings);

        Assert.Equal(DriftKind.ColumnRenamed, finding.Kind);
        Assert.Equal(("amount", "value_eur"), (finding.Column, finding.RelatedColumn));
    }

    [Fact]
    public void Categorical_column_with_the_same_categories_under_a_new_name_is_a_rename()
    {
        var accepted = Snapshot(("id", Ids), ("status", Statuses));
        var current = Snapshot(("id", Ids), ("state", Statuses));

        var finding = Assert.Single(DriftDetector.Compare(accepted, current).Findings);

        Assert.Equal(DriftKind.ColumnRenamed, finding.Kind);
        Assert.Equal("state", finding.RelatedColumn);
    }

    [Fact]
    public void Removed_and_added_columns_with_different_profiles_are_not_a_rename()
    {
        var accepted = Snapshot(("id", Ids), ("amount", Amounts));
        var current = Snapshot(("id", Ids), ("balance", Numbers(Rows, i => 10_000 + i * 40)));

        var findings = DriftDetector.Compare(accepted, current).Findings;

        Assert.Equal([DriftKind.ColumnRemoved, DriftKind.ColumnAdded], findings.Select(f => f.Kind));
        Assert.Equal(["amount", "balance"], findings.Select(f => f.Column));
    }

    [Fact]
    public void Close_names_with_contradicting_profiles_are_not_a_rename()
    {
        var accepted = Snapshot(("id", Ids), ("score1", Amounts));
        var current = Snapshot(("id", Ids), ("score2", Numbers(Rows, i => 5_000 + i)));

        var findings = DriftDetector.Compare(accepted, current).Findings;

        Assert.DoesNotContain(findings, f => f.Kind == DriftKind.ColumnRenamed);
        Assert.Equal(2, findings.Count);
    }

    [Fact]
    public void Columns_of_different_types_are_never_a_rename()
    {
        var accepted = Snapshot(("id", Ids), ("customer_id", Ids));
        var current = Snapshot(("id", Ids), ("CustomerId", Texts(Rows, i => $"c-{i}")));

        var findings = DriftDetector.Compare(accepted, current).Findings;

        Assert.Equal([DriftKind.ColumnRemoved, DriftKind.ColumnAdded], findings.Select(f => f.Kind));
    }

    [Fact]
    public void Each_removed_column_pairs_with_at_most_one_added_column()
    {
        var accepted = Snapshot(("id", Ids), ("amount", Amounts));
        var current = Snapshot(("id", Ids), ("Amount", Amounts), ("AMOUNT", Amounts));

        var findings = DriftDetector.Compare(accepted, current).Findings;

        Assert.Equal([DriftKind.ColumnRenamed, DriftKind.ColumnAdded], findings.Select(f => f.Kind));
        Assert.Equal("Amount", findings[0].RelatedColumn);
        Assert.Equal("AMOUNT", findings[1].Column);
    }

    [Fact]
    public void Integer_becoming_text_is_a_breaking_type_change()
    {
        var current = Snapshot(("id", Texts(Rows, i => $"A{i}")), ("amount", Amounts), ("status", Statuses));

        var finding = Assert.Single(DriftDetector.Compare(Baseline(), current).Findings);

        Assert.Equal(DriftKind.TypeChanged, finding.Kind);
        Assert.Equal("id", finding.Column);
        Assert.True(finding.Breaking);
        Assert.Equal("Column 'id' changed type from integer to string", finding.Detail);
    }

    [Theory]
    [InlineData(ColumnType.Integer, ColumnType.Decimal, false)]
    [InlineData(ColumnType.Decimal, ColumnType.Integer, false)]
    [InlineData(ColumnType.Categorical, ColumnType.String, false)]
    [InlineData(ColumnType.String, ColumnType.Categorical, false)]
    [InlineData(ColumnType.Integer, ColumnType.String, true)]
    [InlineData(ColumnType.Decimal, ColumnType.Boolean, true)]
    [InlineData(ColumnType.Timestamp, ColumnType.String, true)]
    [InlineData(ColumnType.Boolean, ColumnType.Categorical, true)]
    [InlineData(ColumnType.String, ColumnType.Integer, true)]
    public void Type_changes_are_breaking_except_between_number_kinds_and_between_text_kinds(ColumnType from, ColumnType to, bool breaking)
    {
        Assert.Equal(breaking, DriftDetector.IsBreakingTypeChange(from, to));
    }

    [Fact]
    public void Integer_widening_to_decimal_is_reported_but_not_breaking()
    {
        var current = Snapshot(("id", Ids), ("amount", Numbers(Rows, i => 10.5 + i % 91)), ("status", Statuses));

        var finding = Assert.Single(DriftDetector.Compare(Baseline(), current).Findings);

        Assert.Equal(DriftKind.TypeChanged, finding.Kind);
        Assert.False(finding.Breaking);
    }

    [Fact]
    public void Categorical_becoming_string_is_not_breaking()
    {
        var accepted = Snapshot(("id", Ids), ("note", Statuses));
        var current = Snapshot(("id", Ids), ("note", Texts(Rows, i => $"free text {i}")));

        var finding = Assert.Single(DriftDetector.Compare(accepted, current).Findings);

        Assert.Equal((DriftKind.TypeChanged, false), (finding.Kind, finding.Breaking));
    }

    [Fact]
    public void Nulls_in_a_column_that_never_had_any_are_breaking()
    {
        var current = Snapshot(("id", Ids), ("amount", Texts(Rows, i => i == 3 ? null : Amounts[i])), ("status", Statuses));

        var finding = Assert.Single(DriftDetector.Compare(Baseline(), current).Findings);

        Assert.Equal(DriftKind.NullabilityChanged, finding.Kind);
        Assert.Equal("amount", finding.Column);
        Assert.True(finding.Breaking);
        Assert.Equal("Column 'amount' had no nulls and now has 0.1% nulls", finding.Detail);
    }

    [Fact]
    public void Nulls_within_the_tolerance_are_reported_but_not_breaking()
    {
        var current = Snapshot(("id", Ids), ("amount", Texts(Rows, i => i % 10 == 0 ? null : Amounts[i])), ("status", Statuses));

        var report = DriftDetector.Compare(Baseline(), current, new DriftOptions { NullRateTolerance = 0.15 });

        var finding = Assert.Single(report.Findings);
        Assert.Equal(DriftKind.NullabilityChanged, finding.Kind);
        Assert.False(finding.Breaking);
        Assert.False(report.HasBreaking);
    }

    [Fact]
    public void Nullable_column_without_nulls_in_the_batch_is_a_non_breaking_change()
    {
        var accepted = Snapshot(("id", Ids), ("amount", Texts(Rows, i => i % 20 == 0 ? null : Amounts[i])));
        var current = Snapshot(("id", Ids), ("amount", Amounts));

        var finding = Assert.Single(DriftDetector.Compare(accepted, current).Findings);

        Assert.Equal((DriftKind.NullabilityChanged, false), (finding.Kind, finding.Breaking));
    }

    [Fact]
    public void New_categories_are_listed_and_not_breaking()
    {
        var current = Snapshot(("id", Ids), ("amount", Amounts),
            ("status", Texts(Rows, i => i == 10 ? "refunded" : i == 20 ? "disputed" : Statuses[i])));

        var finding = Assert.Single(DriftDetector.Compare(Baseline(), current).Findings);

        Assert.Equal(DriftKind.NewCategories, finding.Kind);
        Assert.False(finding.Breaking);
        Assert.Equal(["disputed", "refunded"], finding.Values!.Order());
        Assert.Contains("'refunded'", finding.Detail);
    }

    [Fact]
    public void Mean_moving_beyond_three_standard_deviations_is_a_non_breaking_profile_shift()
    {
        var current = Snapshot(("id", Ids), ("amount", Numbers(Rows, i => 500 + i % 91)), ("status", Statuses));

        var finding = Assert.Single(DriftDetector.Compare(Baseline(), current).Findings);

        Assert.Equal(DriftKind.ProfileShift, finding.Kind);
        Assert.Equal("amount", finding.Column);
        Assert.False(finding.Breaking);
        Assert.Contains("mean 54.955 -> 544.955", finding.Detail);
    }

    [Fact]
    public void Mean_shift_threshold_follows_the_options()
    {
        // Amounts have sd ~26.3; a shift of 40 is ~1.5 sd: a shift at 1 sd, none at the default 3 (PSI off).
        var current = Snapshot(("id", Ids), ("amount", Numbers(Rows, i => 50 + i % 91)), ("status", Statuses));
        var noPsi = new DriftOptions { PsiThreshold = double.MaxValue };

        Assert.Empty(DriftDetector.Compare(Baseline(), current, noPsi).Findings);
        Assert.Equal(DriftKind.ProfileShift, Assert.Single(DriftDetector.Compare(Baseline(), current, noPsi with { MeanShiftStdDevs = 1 }).Findings).Kind);
    }

    [Fact]
    public void Distribution_moving_within_three_standard_deviations_is_caught_by_psi()
    {
        var accepted = Snapshot(("x", Numbers(Rows, i => i)));
        var current = Snapshot(("x", Numbers(Rows, i => i + 500)));

        var finding = Assert.Single(DriftDetector.Compare(accepted, current).Findings);

        Assert.Equal(DriftKind.ProfileShift, finding.Kind);
        Assert.Contains("PSI", finding.Detail);
        Assert.DoesNotContain("mean", finding.Detail);
    }

    [Fact]
    public void Null_rate_change_beyond_twenty_points_is_a_profile_shift()
    {
        var accepted = Snapshot(("id", Ids), ("note", Texts(Rows, i => i % 10 == 0 ? null : $"n{i}")));
        var current = Snapshot(("id", Ids), ("note", Texts(Rows, i => i % 2 == 0 ? null : $"n{i}")));

        var finding = Assert.Single(DriftDetector.Compare(accepted, current).Findings);

        Assert.Equal(DriftKind.ProfileShift, finding.Kind);
        Assert.Contains("null rate 10% -> 50%", finding.Detail);
    }

    [Fact]
    public void Quantile_psi_of_a_profile_against_itself_is_zero_and_grows_with_the_shift()
    {
        var baseline = Snapshot(("x", Numbers(Rows, i => i))).Columns[0];
        var small = Snapshot(("x", Numbers(Rows, i => i + 20))).Columns[0];
        var large = Snapshot(("x", Numbers(Rows, i => i + 300))).Columns[0];

        Assert.Equal(0, DriftDetector.QuantilePsi(baseline, baseline));
        Assert.InRange(DriftDetector.QuantilePsi(baseline, small)!.Value, 0.0001, 0.25);
        Assert.True(DriftDetector.QuantilePsi(baseline, large) > DriftDetector.QuantilePsi(baseline, small));
    }

    [Fact]
    public void Findings_follow_the_accepted_column_order_with_added_columns_last()
    {
        var current = Snapshot(("extra", Texts(Rows, i => $"e{i}")), ("status", Statuses), ("id", Texts(Rows, i => $"x{i}")));

        var findings = DriftDetector.Compare(Baseline(), current).Findings;

        Assert.Equal([(DriftKind.TypeChanged, "id"), (DriftKind.ColumnRemoved, "amount"), (DriftKind.ColumnAdded, "extra")],
            findings.Select(f => (f.Kind, f.Column)));
    }

    [Fact]
    public void Batch_whose_column_is_all_null_reports_nulls_not_a_type_change()
    {
        var current = Snapshot(("id", Ids), ("amount", Texts(Rows, _ => null)), ("status", Statuses));

        var findings = DriftDetector.Compare(Baseline(), current).Findings;

        Assert.Equal([DriftKind.NullabilityChanged, DriftKind.ProfileShift], findings.Select(f => f.Kind));
        Assert.True(findings[0].Breaking);
    }

    [Fact]
    public void Empty_batch_has_no_type_changes()
    {
        var current = Snapshot(("id", []), ("amount", []), ("status", []));

        Assert.DoesNotContain(DriftDetector.Compare(Baseline(), current).Findings, f => f.Kind == DriftKind.TypeChanged);
    }

    [Fact]
    public void Type_change_from_a_column_that_had_only_nulls_is_not_breaking()
    {
        var accepted = Snapshot(("id", Ids), ("comment", Texts(Rows, _ => null)));
        var current = Snapshot(("id", Ids), ("comment", Numbers(Rows, i => i)));

        var finding = Assert.Single(DriftDetector.Compare(accepted, current).Findings, f => f.Kind == DriftKind.TypeChanged);

        Assert.False(finding.Breaking);
        Assert.EndsWith("(it had only nulls before)", finding.Detail);
    }
}
