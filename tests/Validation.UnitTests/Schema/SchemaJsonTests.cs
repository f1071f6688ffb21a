using System.Text.Json;
using Vigil.Validation.Schema;
using static Vigil.Validation.UnitTests.Schema.SchemaTables;

namespace Vigil.Validation.UnitTests.Schema;

public sealed class SchemaJsonTests
{
    private static SchemaSnapshot Sample() => Snapshot(
        ("id", Numbers(50, i => i)),
        ("amount", Texts(50, i => i % 7 == 0 ? null : $"{i * 1.25}")),
        ("status", Texts(50, i => i % 2 == 0 ? "open" : "closed")),
        ("active", Texts(50, i => i % 3 == 0 ? "true" : "false")),
        ("at", Texts(50, i => $"2024-01-{i % 28 + 1:00}T12:00:00Z")),
        ("note", Texts(50, i => $"note {i}")));

    [Fact]
    public void Snapshot_survives_a_json_round_trip()
    {
        var snapshot = Sample();

        var json = SchemaJson.Serialize(snapshot);
        var back = SchemaJson.Deserialize<SchemaSnapshot>(json);

        Assert.Equal(snapshot.RowCount, back.RowCount);
        Assert.Equal(snapshot.Source, back.Source);
        Assert.Equal(snapshot.Columns.Count, back.Columns.Count);
        for (var i = 0; i < snapshot.Columns.Count; i++)
        {
            var (a, b) = (snapshot.Columns[i], back.Columns[i]);
            Assert.Equal(a with { Categories = null, Quantiles = null }, b with { Categories = null, Quantiles = null });
            Assert.Equal(a.Categories, b.Categories);
            Assert.Equal(a.Quantiles, b.Quantiles);
        }
        Assert.Equal(json, SchemaJson.Serialize(back));
        Assert.Empty(DriftDetector.Compare(snapshot, back).Findings);
    }

    [Fact]
    public void Snapshot_json_uses_camel_case_names_and_enum_strings_and_leaves_out_nulls()
    {
        using var json = JsonDocument.Parse(SchemaJson.Serialize(Sample()));

        var root = json.RootElement;
        Assert.Equal(50, root.GetProperty("rowCount").GetInt64());
        Assert.Equal("profiled", root.GetProperty("source").GetString());
        var id = root.GetProperty("columns")[0];
        Assert.Equal("integer", id.GetProperty("type").GetString());
        Assert.Equal(0, id.GetProperty("nullRate").GetDouble());
        Assert.Equal(49, id.GetProperty("max").GetDouble());
        Assert.False(id.TryGetProperty("categories", out _));
        Assert.Equal("categorical", root.GetProperty("columns")[2].GetProperty("type").GetString());
    }

    [Fact]
    public void Drift_report_json_names_kinds_in_camel_case_and_reads_back()
    {
        var report = new DriftReport(
            [new DriftFinding { Kind = DriftKind.ColumnRemoved, Column = "amount", Detail = "Column 'amount' (decimal) is missing", Breaking = true }]);

        var json = SchemaJson.Serialize(report);
        var back = SchemaJson.Deserialize<DriftReport>(json);

        Assert.Contains("\"kind\":\"columnRemoved\"", json);
        Assert.Contains("\"hasBreaking\":true", json);
        Assert.Equal(report.Findings, back.Findings);
    }

    [Fact]
    public void Snapshot_json_without_columns_is_rejected()
    {
        Assert.Throws<JsonException>(() => SchemaJson.Deserialize<SchemaSnapshot>("""{ "rowCount": 3 }"""));
    }
}
