using Vigil.Tabular.Tables;
using Vigil.Validation.Schema;
using static Vigil.Validation.UnitTests.Schema.SchemaTables;

namespace Vigil.Validation.UnitTests.Schema;

public sealed class ExpectedSchemaTests
{
    private const string Declared = """
        {
          "columns": [
            { "name": "id", "type": "integer", "nullable": false },
            { "name": "amount", "type": "Decimal", "nullable": false },
            { "name": "status", "type": "categorical", "categories": ["open", "closed"] },
            { "name": "booked_at", "type": "timestamp" }
          ]
        }
        """;

    private static SchemaSnapshot Expected() => SchemaJson.Deserialize<ExpectedSchema>(Declared).ToSnapshot();

    [Fact]
    public void Expected_schema_becomes_a_declared_snapshot_without_profile()
    {
        var snapshot = Expected();

        Assert.Equal(SchemaSource.Declared, snapshot.Source);
        Assert.Equal(["id", "amount", "status", "booked_at"], snapshot.Columns.Select(c => c.Name));
        Assert.Equal([ColumnType.Integer, ColumnType.Decimal, ColumnType.Categorical, ColumnType.Timestamp], snapshot.Columns.Select(c => c.Type));
        Assert.Equal([false, false, true, true], snapshot.Columns.Select(c => c.Nullable));
        Assert.All(snapshot.Columns, c => Assert.Null(c.Mean));
        Assert.All(snapshot.Columns, c => Assert.Null(c.Quantiles));
    }

    [Fact]
    public void Batch_matching_the_expected_schema_has_no_findings_however_its_values_are_spread()
    {
        var batch = Snapshot(
            ("id", Numbers(100, i => i)),
            ("amount", Numbers(100, i => i * 1000.5)),
            ("status", Texts(100, i => i % 2 == 0 ? "open" : "closed")),
            ("booked_at", Texts(100, i => i % 3 == 0 ? null : $"2024-05-{i % 28 + 1:00}")));

        Assert.Empty(DriftDetector.Compare(Expected(), batch).Findings);
    }

    [Fact]
    public void Batch_is_checked_against_declared_types_nullability_and_categories()
    {
        var batch = Snapshot(
            ("id", Texts(100, i => i == 5 ? null : $"{i}")),
            ("amount", Texts(100, i => $"x{i}")),
            ("status", Texts(100, i => i % 2 == 0 ? "open" : "void")),
            ("channel", Texts(100, _ => "web")));

        var findings = DriftDetector.Compare(Expected(), batch).Findings;

        Assert.Equal(
            [
                (DriftKind.NullabilityChanged, "id", true),
                (DriftKind.TypeChanged, "amount", true),
                (DriftKind.NewCategories, "status", false),
                (DriftKind.ColumnRemoved, "booked_at", true),
                (DriftKind.ColumnAdded, "channel", false),
            ],
            findings.Select(f => (f.Kind, f.Column, f.Breaking)));
        Assert.Equal(["void"], findings[2].Values!);
    }

    [Fact]
    public void Batch_column_named_like_a_declared_one_after_normalising_is_a_rename()
    {
        var expected = new ExpectedSchema { Columns = [new ExpectedColumn { Name = "customer_id", Type = ColumnType.Integer }] }.ToSnapshot();
        var batch = Snapshot(("CustomerID", Numbers(10, i => i)));

        var finding = Assert.Single(DriftDetector.Compare(expected, batch).Findings);

        Assert.Equal((DriftKind.ColumnRenamed, "customer_id", "CustomerID"), (finding.Kind, finding.Column, finding.RelatedColumn));
    }

    [Fact]
    public void Batch_column_with_a_close_name_and_the_declared_type_is_a_rename()
    {
        var expected = new ExpectedSchema { Columns = [new ExpectedColumn { Name = "amount", Type = ColumnType.Decimal }] }.ToSnapshot();
        var batch = Snapshot(("amout", Numbers(10, i => i + 0.5)));

        var finding = Assert.Single(DriftDetector.Compare(expected, batch).Findings);

        Assert.Equal(DriftKind.ColumnRenamed, finding.Kind);
    }

    [Fact]
    public void Expected_schema_naming_a_column_twice_is_rejected()
    {
        var schema = new ExpectedSchema
        {
            Columns = [new ExpectedColumn { Name = "id", Type = ColumnType.Integer }, new ExpectedColumn { Name = "id", Type = ColumnType.String }],
        };

        var error = Assert.Throws<ArgumentException>(() => schema.ToSnapshot());

        Assert.Equal("The expected schema names column 'id' twice.", error.Message);
    }

    [Fact]
    public void Expected_schema_with_an_unknown_type_does_not_parse()
    {
        Assert.Throws<System.Text.Json.JsonException>(() =>
            SchemaJson.Deserialize<ExpectedSchema>("""{ "columns": [{ "name": "id", "type": "uuid" }] }"""));
    }
}
