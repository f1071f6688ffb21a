using System.Text;
using Vigil.Tabular.Tables;
using Vigil.Validation.UnitTests.Parsing;

namespace Vigil.Validation.UnitTests.Tables;

/// <summary>Reads batches from text through a forward-only stream, and compares tables value by value.</summary>
internal static class TableTestData
{
    public static TypedTable Read(string text, string mediaType, TableReadOptions? options = null) =>
        TableReader.Read(new ForwardOnlyStream(Encoding.UTF8.GetBytes(text)), mediaType, options);

    public static TypedTable ReadBytes(byte[] bytes, string mediaType, TableReadOptions? options = null) =>
        TableReader.Read(new ForwardOnlyStream(bytes), mediaType, options);

    public static Column Build(params string?[] texts) => BuildWith(TableReadOptions.Default, texts);

    public static Column BuildWith(TableReadOptions options, params string?[] texts)
    {
        var builder = new ColumnBuilder("c", options);
        foreach (var text in texts) builder.Add(text);
        return builder.Build();
    }

    /// <summary>Every value of the column as text, null rows as null.</summary>
    public static IReadOnlyList<string?> Texts(Column column) =>
        [.. Enumerable.Range(0, column.Length).Select(row => column.IsNull(row) ? null : column.GetText(row))];

    /// <summary>Same columns in the same order, same types, nulls and values.</summary>
    public static void AssertSameTable(TypedTable expected, TypedTable actual)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.Columns.Select(c => (c.Name, c.Type)), actual.Columns.Select(c => (c.Name, c.Type)));
        for (var i = 0; i < expected.Columns.Count; i++)
        {
            Assert.Equal(Texts(expected.Columns[i]), Texts(actual.Columns[i]));
        }
    }
}
