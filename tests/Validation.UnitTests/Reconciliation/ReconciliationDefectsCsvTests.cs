using System.Globalization;
using System.Text;
using Vigil.Tabular.Tables;
using Vigil.Validation.Reconciliation;
using static Vigil.Validation.UnitTests.Reconciliation.Tables;

namespace Vigil.Validation.UnitTests.Reconciliation;

public sealed class ReconciliationDefectsCsvTests
{
    [Fact]
    public void Csv_lists_every_defect_with_its_kind_and_parses_back()
    {
        var data = GeneratedReconciliation.Create(rows: 3_000, seed: 5);
        var options = GeneratedReconciliation.Options;
        var result = ReconciliationEngine.Reconcile(data.Source, data.Target, options);

        var (header, rows) = DefectsCsv(result, data.Source, data.Target, options);

        Assert.Equal(["kind", "region", "id", "column", "source_value", "target_value"], header);
        Assert.Equal(result.DefectCount, rows.Count);
        Assert.All(rows, r => Assert.Equal(6, r.Length));
        var byKind = rows.GroupBy(r => r[0]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int>
        {
            ["missing_in_target"] = GeneratedReconciliation.Missing,
            ["unexpected_in_target"] = GeneratedReconciliation.Unexpected,
            ["duplicate_key_in_source"] = GeneratedReconciliation.DuplicatesInSource,
            ["duplicate_key_in_target"] = GeneratedReconciliation.DuplicatesInTarget,
            ["null_key_in_source"] = GeneratedReconciliation.NullKeysInSource,
            ["null_key_in_target"] = GeneratedReconciliation.NullKeysInTarget,
            ["changed_value"] = GeneratedReconciliation.AmountsBeyondTolerance + GeneratedReconciliation.NamesChanged + GeneratedReconciliation.NotesFilledIn,
            ["null_introduced"] = GeneratedReconciliation.QuantitiesNulled + GeneratedReconciliation.StatusesNulled,
        }, byKind);

        var amounts = rows.Where(r => r[0] == "changed_value" && r[3] == "amount").ToList();
        Assert.Equal(GeneratedReconciliation.AmountsBeyondTolerance, amounts.Count);
        Assert.All(amounts, r => Assert.Equal(0.01, double.Parse(r[5], CultureInfo.InvariantCulture) - double.Parse(r[4], CultureInfo.InvariantCulture), 6));
        Assert.All(rows.Where(r => r[0] == "null_introduced"), r => Assert.Equal("", r[5]));
        Assert.All(rows.Where(r => r[0] == "missing_in_target"), r => Assert.Equal(["", "", ""], r[3..]));
        Assert.All(rows.Where(r => r[0] == "null_key_in_target"), r => Assert.Equal(("R2", ""), (r[1], r[2])));
    }

    [Fact]
    public void Csv_rows_name_the_key_of_each_record_and_agree_with_the_samples()
    {
        var source = Of("id,name,amount", "1,ann,1.5", "2,bob,2.5", "3,cid,3.5", "3,dup,0");
        var target = Of("id,name,amount", "1,ann,9", "2,,2.5", "4,eve,4.5");
        var options = Keys("id");
        var result = ReconciliationEngine.Reconcile(source, target, options);

        var (_, rows) = DefectsCsv(result, source, target, options);

        Assert.Equal(
            [
                ["missing_in_target", "3", "", "", ""],
                ["unexpected_in_target", "4", "", "", ""],
                ["duplicate_key_in_source", "3", "", "", ""],
                ["changed_value", "1", "amount", "1.5", "9"],
                ["null_introduced", "2", "name", "bob", ""],
            ],
            rows);
    }

    [Fact]
    public void Values_with_commas_quotes_and_line_breaks_are_quoted_and_read_back_unchanged()
    {
        string[] names = ["id", "text"];
        var source = TypedTable.FromRows(names, [["k,1", "plain"], ["k\"2", "say \"hi\", then\r\nleave"]]);
        var target = TypedTable.FromRows(names, [["k,1", "plain, with comma"], ["k\"2", "other\nline"]]);
        var options = Keys("id");
        var result = ReconciliationEngine.Reconcile(source, target, options);

        var (_, rows) = DefectsCsv(result, source, target, options);

        Assert.Equal(
            [
                ["changed_value", "k,1", "text", "plain", "plain, with comma"],
                ["changed_value", "k\"2", "text", "say \"hi\", then\r\nleave", "other\nline"],
            ],
            rows);
    }

    [Fact]
    public void Csv_values_are_the_invariant_text_of_each_type()
    {
        var source = Of("id,n,d,b,t,s", "1,7,0.1,true,2024-03-01T10:00:00Z,ab", "2,8,2.5,false,2024-03-02T10:00:00Z,cd");
        var target = Of("id,n,d,b,t,s", "1,-7,1E-7,false,2024-03-01T10:00:00.5+01:00,ab ", "2,,,,,");
        var options = Keys("id");
        var result = ReconciliationEngine.Reconcile(source, target, options);

        var (_, rows) = DefectsCsv(result, source, target, options);

        var changed = rows.Where(r => r[0] == "changed_value").ToList();
        Assert.Equal(["n", "d", "b", "t", "s"], changed.Select(r => r[2]));
        Assert.All(changed, r => Assert.Equal((source[r[2]].GetText(0), target[r[2]].GetText(0)), (r[3], r[4])));
        Assert.Equal(["-7", "1E-07", "false", "2024-03-01T09:00:00.5000000+00:00", "ab "], changed.Select(r => r[4]));
        Assert.Equal(["7", "0.1", "true", "2024-03-01T10:00:00.0000000+00:00", "ab"], changed.Select(r => r[3]));
        var introduced = rows.Where(r => r[0] == "null_introduced").ToList();
        Assert.Equal(["8", "2.5", "false", "2024-03-02T10:00:00.0000000+00:00", "cd"], introduced.Select(r => r[3]));
        Assert.All(introduced, r => Assert.Equal("", r[4]));
    }

    [Fact]
    public void Csv_of_a_passing_reconciliation_is_the_header_alone()
    {
        var table = Of("region,id,v", "n,1,a");
        var options = Keys("region", "id");
        var result = ReconciliationEngine.Reconcile(table, table, options);
        using var buffer = new MemoryStream();

        ReconciliationDefectsCsv.Write(result, table, table, options, buffer);

        Assert.Equal("kind,region,id,column,source_value,target_value\r\n", Encoding.UTF8.GetString(buffer.ToArray()));
    }

    [Fact]
    public void Csv_leaves_the_output_stream_open()
    {
        var table = Of("id", "1");
        var result = ReconciliationEngine.Reconcile(table, table, Keys("id"));
        using var buffer = new MemoryStream();

        ReconciliationDefectsCsv.Write(result, table, table, Keys("id"), buffer);

        Assert.True(buffer.CanWrite);
    }

    [Fact]
    public void Csv_refuses_tables_other_than_the_ones_reconciled()
    {
        var table = Of("id", "1", "2");
        var result = ReconciliationEngine.Reconcile(table, table, Keys("id"));

        Assert.Throws<ArgumentException>(() => ReconciliationDefectsCsv.Write(result, Of("id", "1"), table, Keys("id"), Stream.Null));
        Assert.Throws<ArgumentException>(() => ReconciliationDefectsCsv.Write(result, table, table, Keys("other"), Stream.Null));
    }
}
