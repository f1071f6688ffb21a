using Vigil.Tabular.Tables;
using Vigil.Validation.Reconciliation;
using static Vigil.Validation.UnitTests.Reconciliation.Tables;

namespace Vigil.Validation.UnitTests.Reconciliation;

public sealed class ReconciliationEngineTests
{
    private const string Header = "id,name,amount";

    [Fact]
    public void Identical_tables_pass_with_consistency_100()
    {
        var table = Of(Header, "1,ann,1.5", "2,bob,2.5", "3,cid,");

        var result = ReconciliationEngine.Reconcile(table, Of(Header, "1,ann,1.5", "2,bob,2.5", "3,cid,"), Keys("id"));

        Assert.True(result.Passed);
        Assert.Equal(100.0, result.ConsistencyScore);
        Assert.Equal(3, result.MatchedKeys);
        Assert.Equal(0, result.DefectCount);
        Assert.Equal(["name", "amount"], result.ComparedColumns);
        Assert.All(result.Samples.Values, s => Assert.Empty(s));
        Assert.Equal(Enum.GetValues<DefectKind>().Length, result.Samples.Count);
    }

    [Fact]
    public void Empty_tables_pass_with_consistency_100()
    {
        var result = ReconciliationEngine.Reconcile(Of(Header), Of(Header), Keys("id"));

        Assert.True(result.Passed);
        Assert.Equal(100.0, result.ConsistencyScore);
        Assert.Equal(0, result.MatchedKeys);
    }

    [Fact]
    public void Reconciliation_reports_rows_missing_in_target()
    {
        var source = Of(Header, "1,ann,1", "2,bob,2", "3,cid,3", "4,dan,4");
        var target = Of(Header, "3,cid,3", "1,ann,1");

        var result = ReconciliationEngine.Reconcile(source, target, Keys("id"));

        Assert.False(result.Passed);
        Assert.Equal(2, result.MissingInTarget);
        Assert.Equal(0, result.UnexpectedInTarget);
        Assert.Equal(2, result.MatchedKeys);
        Assert.Equal(["2", "4"], result.Samples[DefectKind.MissingInTarget].Select(s => s.Key["id"]));
        Assert.Equal([1, 3], result.Samples[DefectKind.MissingInTarget].Select(s => s.SourceRow!.Value));
        Assert.All(result.Samples[DefectKind.MissingInTarget], s => Assert.Null(s.TargetRow));
    }

    [Fact]
    public void Reconciliation_reports_rows_unexpected_in_target()
    {
        var source = Of(Header, "1,ann,1");
        var target = Of(Header, "7,gus,7", "1,ann,1", "9,ida,9");

        var result = ReconciliationEngine.Reconcile(source, target, Keys("id"));

        Assert.Equal(2, result.UnexpectedInTarget);
        Assert.Equal(0, result.MissingInTarget);
        Assert.Equal(["7", "9"], result.Samples[DefectKind.UnexpectedInTarget].Select(s => s.Key["id"]));
        Assert.Equal([0, 2], result.Samples[DefectKind.UnexpectedInTarget].Select(s => s.TargetRow!.Value));
    }

    [Fact]
    public void Duplicate_keys_count_the_rows_that_repeat_an_earlier_key_on_each_side()
    {
        var source = Of(Header, "1,ann,1", "1,ann,1", "1,xxx,9", "2,bob,2");
        var target = Of(Header, "2,bob,2", "1,ann,1", "2,zzz,5");

        var result = ReconciliationEngine.Reconcile(source, target, Keys("id"));

        Assert.Equal(2, result.DuplicateKeysInSource);
        Assert.Equal(1, result.DuplicateKeysInTarget);
        Assert.Equal([1, 2], result.Samples[DefectKind.DuplicateKeyInSource].Select(s => s.SourceRow!.Value));
        Assert.Equal([2], result.Samples[DefectKind.DuplicateKeyInTarget].Select(s => s.TargetRow!.Value));
        // The first row of each key is the one matched, so the later, different rows change nothing.
        Assert.Equal(2, result.MatchedKeys);
        Assert.Equal(0, result.ChangedRecords);
        Assert.False(result.Passed);
    }

    [Fact]
    public void Numbers_beyond_the_absolute_tolerance_change_and_numbers_within_it_do_not()
    {
        var source = Of("id,amount,qty", "1,10.0,5", "2,20.0,6", "3,30.0,7");
        var target = Of("id,amount,qty", "1,10.004,5", "2,20.02,6", "3,30.0,8");
        var options = Keys("id") with { NumericTolerance = 0.005 };

        var result = ReconciliationEngine.Reconcile(source, target, options);

        Assert.Equal(1, result.ChangedValuesByColumn["amount"]);
        Assert.Equal(1, result.ChangedValuesByColumn["qty"]);
        Assert.Equal(2, result.ChangedRecords);
        var amount = result.Samples[DefectKind.ChangedValue].Single(s => s.Key["id"] == "2").Differences.Single();
        Assert.Equal(new ValueDifference("amount", "20", "20.02"), amount);
    }

    [Fact]
    public void Default_tolerance_treats_floating_point_noise_as_equal_but_not_a_cent()
    {
        var source = Of("id,amount", "1,0.3", "2,0.3");
        var target = Of("id,amount", "1," + Text(0.1 + 0.2), "2,0.31");

        var result = ReconciliationEngine.Reconcile(source, target, Keys("id"));

        Assert.Equal(1, result.ChangedValuesByColumn["amount"]);
        Assert.Equal("2", Assert.Single(result.Samples[DefectKind.ChangedValue]).Key["id"]);
    }

    [Fact]
    public void Relative_tolerance_accepts_differences_proportional_to_the_magnitude()
    {
        var source = Of("id,amount", "1,1000000", "2,10", "3,1000000");
        var target = Of("id,amount", "1,1000050", "2,10.5", "3,1000200");
        var options = Keys("id") with { RelativeTolerance = 1e-4 };

        var result = ReconciliationEngine.Reconcile(source, target, options);

        Assert.Equal(2, result.ChangedValuesByColumn["amount"]);
        Assert.Equal(["2", "3"], result.Samples[DefectKind.ChangedValue].Select(s => s.Key["id"]));
    }

    [Fact]
    public void Changed_strings_are_counted_per_column_with_both_values_in_the_sample()
    {
        var source = Of("id,name,city", "1,ann,oslo", "2,bob,rome", "3,cid,lima");
        var target = Of("id,name,city", "1,Ann,oslo", "2,bob,Rome", "3,cid,lima");

        var result = ReconciliationEngine.Reconcile(source, target, Keys("id"));

        Assert.Equal(1, result.ChangedValuesByColumn["name"]);
        Assert.Equal(1, result.ChangedValuesByColumn["city"]);
        Assert.Equal(2, result.ChangedRecords);
        var samples = result.Samples[DefectKind.ChangedValue];
        Assert.Equal(new ValueDifference("name", "ann", "Ann"), samples[0].Differences.Single());
        Assert.Equal(new ValueDifference("city", "rome", "Rome"), samples[1].Differences.Single());
        Assert.Equal((1, 1), (samples[1].SourceRow, samples[1].TargetRow));
    }

    [Fact]
    public void Trimming_strings_ignores_surrounding_white_space_in_values_and_keys()
    {
        var source = Of("code,name", "a1,ann", "b2,bob");
        var target = Of("code,name", " a1 ,ann  ", "b2,  bob");

        var untrimmed = ReconciliationEngine.Reconcile(source, target, Keys("code"));
        var trimmed = ReconciliationEngine.Reconcile(source, target, Keys("code") with { TrimStrings = true });

        Assert.Equal((1, 1, 1), (untrimmed.MissingInTarget, untrimmed.UnexpectedInTarget, untrimmed.ChangedRecords));
        Assert.True(trimmed.Passed);
        Assert.Equal(2, trimmed.MatchedKeys);
    }

    [Fact]
    public void Nulls_introduced_are_counted_apart_from_changes_and_a_null_filled_in_is_a_change()
    {
        var source = Of("id,name,amount", "1,ann,1.5", "2,,2.5", "3,cid,", "4,dan,4.5");
        var target = Of("id,name,amount", "1,,", "2,bob,2.5", "3,cid,", "4,dan,4.5");

        var result = ReconciliationEngine.Reconcile(source, target, Keys("id"));

        Assert.Equal(1, result.NullsIntroducedByColumn["name"]);
        Assert.Equal(1, result.NullsIntroducedByColumn["amount"]);
        Assert.Equal(1, result.ChangedValuesByColumn["name"]);
        Assert.Equal(0, result.ChangedValuesByColumn["amount"]);
        Assert.Equal(2, result.ChangedRecords);
        Assert.Equal((1, 2), (result.ChangedValues, result.NullsIntroduced));
        var introduced = Assert.Single(result.Samples[DefectKind.NullIntroduced]);
        Assert.Equal([new ValueDifference("name", "ann", null), new ValueDifference("amount", "1.5", null)], introduced.Differences);
        Assert.Equal(new ValueDifference("name", null, "bob"), Assert.Single(result.Samples[DefectKind.ChangedValue]).Differences.Single());
        Assert.Equal(50.0, result.ConsistencyScore);
    }

    [Fact]
    public void Composite_keys_match_on_every_key_column_together()
    {
        var source = Of("region,id,amount", "north,1,10", "south,1,20", "north,2,30");
        var target = Of("region,id,amount", "south,1,20", "north,1,11", "east,2,30", "north,2,30");

        var result = ReconciliationEngine.Reconcile(source, target, Keys("region", "id"));

        Assert.Equal(3, result.MatchedKeys);
        Assert.Equal(1, result.UnexpectedInTarget);
        Assert.Equal(0, result.MissingInTarget);
        Assert.Equal(1, result.ChangedValuesByColumn["amount"]);
        var changed = Assert.Single(result.Samples[DefectKind.ChangedValue]);
        Assert.Equal(new Dictionary<string, string?> { ["region"] = "north", ["id"] = "1" }, changed.Key);
        Assert.Equal(new Dictionary<string, string?> { ["region"] = "east", ["id"] = "2" }, result.Samples[DefectKind.UnexpectedInTarget][0].Key);
        Assert.Equal(["amount"], result.ComparedColumns);
    }

    [Fact]
    public void Composite_key_parts_are_not_confused_by_where_one_value_ends_and_the_next_begins()
    {
        var source = Of("a,b,v", "ab,c,1", "a,bc,2");
        var target = Of("a,b,v", "a,bc,2", "ab,c,1");

        var result = ReconciliationEngine.Reconcile(source, target, Keys("a", "b"));

        Assert.True(result.Passed);
        Assert.Equal(2, result.MatchedKeys);
    }

    [Fact]
    public void Columns_on_one_side_only_are_reported_not_compared_and_do_not_fail()
    {
        var source = Of("id,legacy,amount", "1,x,1", "2,y,2");
        var target = Of("id,amount,loaded_at", "1,1,2024-05-01T00:00:00Z", "2,2,2024-05-01T00:00:00Z");

        var result = ReconciliationEngine.Reconcile(source, target, Keys("id"));

        Assert.Equal(["legacy"], result.ColumnsOnlyInSource);
        Assert.Equal(["loaded_at"], result.ColumnsOnlyInTarget);
        Assert.Equal(["amount"], result.ComparedColumns);
        Assert.True(result.Passed);
    }

    [Fact]
    public void Compare_columns_limit_the_comparison_and_skip_key_columns()
    {
        var source = Of("id,name,amount", "1,ann,1", "2,bob,2");
        var target = Of("id,name,amount", "1,ANN,1", "2,bob,3");

        var result = ReconciliationEngine.Reconcile(source, target, Keys("id") with { CompareColumns = ["amount", "id"] });

        Assert.Equal(["amount"], result.ComparedColumns);
        Assert.Equal(1, result.ChangedRecords);
        Assert.False(result.ChangedValuesByColumn.ContainsKey("name"));
    }

    [Fact]
    public void Integer_against_decimal_compares_as_numbers_and_is_listed_as_a_numeric_mismatch()
    {
        var source = Of("id,amount", "1,10", "2,20", "3,30");
        var target = Of("id,amount", "1,10.0", "2,20.5", "3,30.0000000001");

        var result = ReconciliationEngine.Reconcile(source, target, Keys("id"));

        Assert.Equal(ColumnType.Integer, source["amount"].Type);
        Assert.Equal(ColumnType.Decimal, target["amount"].Type);
        Assert.Equal(1, result.ChangedValuesByColumn["amount"]);
        Assert.Equal(new ColumnTypeMismatch("amount", ColumnType.Integer, ColumnType.Decimal, ComparisonBasis.Numeric), Assert.Single(result.TypeMismatches));
    }

    [Fact]
    public void Integer_key_against_decimal_key_matches_equal_numbers()
    {
        var source = Of("id,v", "1,a", "2,b");
        var target = Of("id,v", "2.0,b", "1.5,a");

        var result = ReconciliationEngine.Reconcile(source, target, Keys("id"));

        Assert.Equal(1, result.MatchedKeys);
        Assert.Equal((1, 1), (result.MissingInTarget, result.UnexpectedInTarget));
    }

    [Fact]
    public void Number_against_string_compares_by_invariant_text_and_is_listed_as_a_text_mismatch()
    {
        var source = Of("id,ref", "1,100", "2,200", "3,300");
        var target = Of("id,ref", "1,100", "2,0200", "3,tbd");

        var result = ReconciliationEngine.Reconcile(source, target, Keys("id"));

        Assert.Equal(ColumnType.String, target["ref"].Type);
        Assert.Equal(2, result.ChangedValuesByColumn["ref"]);
        Assert.Equal(new ColumnTypeMismatch("ref", ColumnType.Integer, ColumnType.String, ComparisonBasis.Text), Assert.Single(result.TypeMismatches));
    }

    [Fact]
    public void Integer_key_against_string_key_matches_by_text()
    {
        var source = Of("id,v", "1,a", "2,b", "3,c");
        var target = Of("id,v", "3,c", "1,a", "X9,z");

        var result = ReconciliationEngine.Reconcile(source, target, Keys("id"));

        Assert.Equal(2, result.MatchedKeys);
        Assert.Equal("2", Assert.Single(result.Samples[DefectKind.MissingInTarget]).Key["id"]);
        Assert.Equal("X9", Assert.Single(result.Samples[DefectKind.UnexpectedInTarget]).Key["id"]);
        Assert.Equal(ComparisonBasis.Text, Assert.Single(result.TypeMismatches).ComparedAs);
    }

    [Fact]
    public void Categorical_against_string_matches_keys_and_compares_values_as_text_without_a_mismatch()
    {
        // Repeated values make the source's columns categorical; unique ones keep the target's strings.
        string[] colours = ["red", "red", "blue", "blue", "red", "blue"];
        var source = Of("k,colour", [.. colours.Select((c, i) => $"{(i < 3 ? "a" : "b")},{c}")]);
        var target = Of("k,colour", "a,red", "b,BLUE", "c,green");

        var result = ReconciliationEngine.Reconcile(source, target, Keys("k"));

        Assert.Equal(ColumnType.Categorical, source["k"].Type);
        Assert.Equal(ColumnType.String, target["k"].Type);
        Assert.Equal((2, 4, 1), (result.MatchedKeys, result.DuplicateKeysInSource, result.UnexpectedInTarget));
        Assert.Equal(1, result.ChangedValuesByColumn["colour"]);
        Assert.Empty(result.TypeMismatches);
    }

    [Fact]
    public void Categorical_columns_on_both_sides_compare_by_value_not_by_dictionary_code()
    {
        // The same texts get different codes on each side because they first appear in a different order.
        var source = Of("id,status", "1,open", "2,open", "3,closed", "4,closed", "5,open", "6,closed");
        var target = Of("id,status", "3,closed", "4,closed", "1,open", "2,closed", "5,open", "6,closed");

        var result = ReconciliationEngine.Reconcile(source, target, Keys("id"));

        Assert.Equal(ColumnType.Categorical, source["status"].Type);
        Assert.Equal(ColumnType.Categorical, target["status"].Type);
        Assert.Equal(1, result.ChangedValuesByColumn["status"]);
        Assert.Equal(new ValueDifference("status", "open", "closed"), Assert.Single(result.Samples[DefectKind.ChangedValue]).Differences.Single());
    }

    [Fact]
    public void Booleans_and_timestamps_compare_by_value()
    {
        var source = Of("id,active,at", "1,true,2024-01-01T10:00:00Z", "2,false,2024-01-02T10:00:00Z", "3,true,2024-01-03T10:00:00Z");
        var target = Of("id,active,at", "1,yes,2024-01-01T12:00:00+02:00", "2,true,2024-01-02T10:00:00Z", "3,true,2024-01-03T10:00:01Z");

        var result = ReconciliationEngine.Reconcile(source, target, Keys("id"));

        Assert.Equal(1, result.ChangedValuesByColumn["active"]);
        Assert.Equal(1, result.ChangedValuesByColumn["at"]);
        Assert.Equal(["2", "3"], result.Samples[DefectKind.ChangedValue].Select(s => s.Key["id"]));
    }

    [Fact]
    public void Rows_with_a_null_key_are_counted_per_side_and_left_out_of_matching()
    {
        var source = Of("region,id,v", "n,1,a", ",2,b", "n,,c", "n,3,d");
        var target = Of("region,id,v", "n,1,a", "n,,c", "n,3,d");

        var result = ReconciliationEngine.Reconcile(source, target, Keys("region", "id"));

        Assert.Equal(2, result.NullKeyRowsInSource);
        Assert.Equal(1, result.NullKeyRowsInTarget);
        Assert.Equal(2, result.MatchedKeys);
        Assert.Equal((0, 0), (result.MissingInTarget, result.UnexpectedInTarget));
        Assert.Equal(100.0, result.ConsistencyScore);
        Assert.False(result.Passed);
        Assert.Equal(new Dictionary<string, string?> { ["region"] = null, ["id"] = "2" }, result.Samples[DefectKind.NullKeyInSource][0].Key);
        Assert.Equal(1, Assert.Single(result.Samples[DefectKind.NullKeyInTarget]).TargetRow);
    }

    [Fact]
    public void Consistency_is_matched_unchanged_keys_over_all_distinct_keys()
    {
        // 10 source keys: 8 matched (2 of them changed), 2 missing; 1 unexpected; a duplicate does not count.
        var source = Of("id,v", [.. Enumerable.Range(1, 10).Select(i => $"{i},{i}"), "1,1"]);
        var target = Of("id,v", [.. Enumerable.Range(1, 8).Select(i => $"{i},{(i <= 2 ? i * 100 : i)}"), "99,1"]);

        var result = ReconciliationEngine.Reconcile(source, target, Keys("id"));

        Assert.Equal((8, 2, 1, 2), (result.MatchedKeys, result.MissingInTarget, result.UnexpectedInTarget, result.ChangedRecords));
        Assert.Equal(100.0 * 6 / 11, result.ConsistencyScore, 10);
    }

    [Fact]
    public void Samples_stop_at_the_maximum_and_the_counts_do_not()
    {
        var source = Of("id,v", [.. Enumerable.Range(1, 30).Select(i => $"{i},a")]);
        var target = Of("id,v", [.. Enumerable.Range(1, 30).Select(i => $"{i},b")]);

        var result = ReconciliationEngine.Reconcile(source, target, Keys("id") with { MaxSamples = 4 });
        var none = ReconciliationEngine.Reconcile(source, target, Keys("id") with { MaxSamples = 0 });

        Assert.Equal(30, result.ChangedValuesByColumn["v"]);
        Assert.Equal(["1", "2", "3", "4"], result.Samples[DefectKind.ChangedValue].Select(s => s.Key["id"]));
        Assert.Empty(none.Samples[DefectKind.ChangedValue]);
        Assert.Equal(30, none.ChangedRecords);
    }

    [Fact]
    public void A_changed_value_sample_lists_every_changed_column_of_the_record()
    {
        var source = Of("id,a,b,c", "1,p,1.5,true");
        var target = Of("id,a,b,c", "1,q,1.5,false");

        var result = ReconciliationEngine.Reconcile(source, target, Keys("id"));

        var sample = Assert.Single(result.Samples[DefectKind.ChangedValue]);
        Assert.Equal([new ValueDifference("a", "p", "q"), new ValueDifference("c", "true", "false")], sample.Differences);
        Assert.Equal(1, result.ChangedRecords);
    }

    [Fact]
    public void Colliding_key_hashes_never_confuse_different_keys()
    {
        var data = GeneratedReconciliation.Create(rows: 2_000, seed: 11);
        var options = GeneratedReconciliation.Options;

        var normal = ReconciliationEngine.Reconcile(data.Source, data.Target, options);
        var colliding = ReconciliationEngine.Reconcile(data.Source, data.Target, options with { HashMask = 0x7 });

        Assert.Equal(normal.EnumerateDefects(), colliding.EnumerateDefects());
        Assert.Equal(normal.MatchedKeys, colliding.MatchedKeys);
        data.AssertCounts(colliding);
    }

    [Fact]
    public void Generated_batches_with_injected_defects_give_the_exact_counts()
    {
        var data = GeneratedReconciliation.Create(rows: 40_000, seed: 7);

        var result = ReconciliationEngine.Reconcile(data.Source, data.Target, GeneratedReconciliation.Options);

        data.AssertCounts(result);
    }

    [Fact]
    public void Key_column_missing_from_the_target_is_named_in_the_error()
    {
        var error = Assert.Throws<ReconciliationException>(() =>
            ReconciliationEngine.Reconcile(Of("id,v", "1,a"), Of("key,v", "1,a"), Keys("id")));

        Assert.Equal("Key column 'id' is missing from the target.", error.Message);
    }

    [Fact]
    public void Key_column_missing_from_the_source_is_named_in_the_error()
    {
        var error = Assert.Throws<ReconciliationException>(() =>
            ReconciliationEngine.Reconcile(Of("id,v", "1,a"), Of("id,region,v", "1,n,a"), Keys("id", "region")));

        Assert.Equal("Key column 'region' is missing from the source.", error.Message);
    }

    [Fact]
    public void An_empty_key_list_is_rejected()
    {
        var error = Assert.Throws<ReconciliationException>(() => ReconciliationEngine.Reconcile(Of("id", "1"), Of("id", "1"), Keys()));

        Assert.Contains("key column is required", error.Message);
    }

    [Fact]
    public void A_compare_column_missing_from_one_side_is_named_in_the_error()
    {
        var error = Assert.Throws<ReconciliationException>(() =>
            ReconciliationEngine.Reconcile(Of("id,v,w", "1,a,b"), Of("id,v", "1,a"), Keys("id") with { CompareColumns = ["w"] }));

        Assert.Equal("Compare column 'w' is missing from the target.", error.Message);
    }

    [Theory]
    [InlineData(-1.0, null, 10)]
    [InlineData(double.NaN, null, 10)]
    [InlineData(0.0, -0.5, 10)]
    [InlineData(0.0, null, -1)]
    public void Negative_tolerances_and_sample_counts_are_rejected(double absolute, double? relative, int samples)
    {
        var options = Keys("id") with { NumericTolerance = absolute, RelativeTolerance = relative, MaxSamples = samples };

        Assert.Throws<ReconciliationException>(() => ReconciliationEngine.Reconcile(Of("id", "1"), Of("id", "1"), options));
    }
}
