using System.Text.Json;
using Vigil.Lineage.OpenLineage;

namespace Vigil.Lineage.UnitTests.OpenLineage;

public sealed class ValidatedColumnsTests
{
    [Fact]
    public void Report_schema_gives_each_column_its_type_and_profile()
    {
        var columns = Parse("""
            {"runId":"x","rowCount":4,"schema":{"rowCount":4,"source":"profiled","columns":[
              {"name":"transaction_id","type":"string","nullable":false,"nullRate":0,"distinctCount":4},
              {"name":"amount","type":"decimal","nullRate":0.25,"distinctCount":3,"min":7.25,"max":1200,"quantiles":[7.3,10,12.5,600,1190]}]}}
            """);

        Assert.NotNull(columns);
        Assert.Equal(4, columns.RowCount);
        Assert.Equal([("transaction_id", "string"), ("amount", "decimal")], columns.Columns.Select(c => (c.Name, c.Type)));
        var amount = columns.Columns[1];
        Assert.Equal(0.25, amount.NullRate);
        Assert.Equal(3, amount.DistinctCount);
        Assert.Equal((7.25, 1200.0), (amount.Min, amount.Max));
        Assert.Equal(12.5, amount.Quantiles!["0.5"]);
        Assert.Equal(["0.01", "0.25", "0.5", "0.75", "0.99"], amount.Quantiles.Keys);
    }

    [Theory]
    [InlineData("""{"rowCount":4}""")]
    [InlineData("""{"schema":{"columns":{}}}""")]
    [InlineData("""{"schema":{"columns":[{"type":"string"}]}}""")]
    [InlineData("""[1,2]""")]
    public void Report_without_named_schema_columns_gives_nothing(string report) =>
        Assert.Null(Parse(report));

    [Fact]
    public void Quantiles_of_an_unexpected_length_are_left_out()
    {
        var columns = Parse("""{"schema":{"rowCount":2,"columns":[{"name":"a","type":"integer","quantiles":[1,2]}]}}""");

        Assert.Null(Assert.Single(columns!.Columns).Quantiles);
    }

    private static ValidatedColumns? Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return ValidatedColumns.FromReport(document.RootElement);
    }
}
