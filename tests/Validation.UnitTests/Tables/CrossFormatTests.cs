using System.Globalization;
using System.Text;
using Vigil.Tabular.Tables;
using static Vigil.Validation.UnitTests.Tables.TableTestData;

namespace Vigil.Validation.UnitTests.Tables;

/// <summary>The same data as CSV, as a JSON array and as NDJSON reads into the same table.</summary>
public sealed class CrossFormatTests
{
    private static readonly string[] Names = ["id", "amount", "currency", "booked_at", "paid", "note", "code"];

    private static readonly object?[][] Rows = [.. Enumerable.Range(0, 400).Select(i => new object?[]
    {
        i + 1,
        i % 11 == 0 ? null : Math.Round(i * 1.25 - 100, 2),
        new[] { "EUR", "USD", "GBP" }[i % 3],
        new DateTime(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(i * 17).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        i % 4 == 0,
        i % 5 == 0 ? null : $"note, \"{i}\"\nline two",
        i % 13 == 0 ? null : (i * 37 % 1000).ToString("D4", CultureInfo.InvariantCulture),
    })];

    [Fact]
    public void Csv_json_array_and_ndjson_of_the_same_rows_read_into_the_same_table()
    {
        var csv = Read(ToCsv(), "text/csv");
        var json = Read("[" + string.Join(",\n", Rows.Select(ToJsonObject)) + "]", "application/json");
        var ndjson = Read(string.Join("\n", Rows.Select(ToJsonObject)) + "\n", "application/x-ndjson");

        Assert.Equal(
            [ColumnType.Integer, ColumnType.Decimal, ColumnType.Categorical, ColumnType.Timestamp, ColumnType.Boolean, ColumnType.String, ColumnType.Integer],
            csv.Columns.Select(c => c.Type));
        AssertSameTable(csv, json);
        AssertSameTable(csv, ndjson);
        Assert.Equal("note, \"1\"\nline two", json["note"].GetString(1));
    }

    private static string ToCsv()
    {
        var text = new StringBuilder(string.Join(',', Names)).Append('\n');
        foreach (var row in Rows)
        {
            text.AppendJoin(',', row.Select(value => value switch
            {
                null => "",
                string s when s.IndexOfAny([',', '"', '\n']) >= 0 => "\"" + s.Replace("\"", "\"\"") + "\"",
                bool b => b ? "true" : "false",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString(),
            })).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Numbers and booleans as JSON literals, texts as strings (the code "0037" too), nulls as missing keys or null.</summary>
    private static string ToJsonObject(object?[] row, int index) =>
        "{" + string.Join(", ", row.Select((value, i) => (Name: Names[i], Value: value))
            .Where(p => p.Value is not null || index % 2 == 0)
            .Select(p => $"\"{p.Name}\": {System.Text.Json.JsonSerializer.Serialize(p.Value)}")) + "}";
}
