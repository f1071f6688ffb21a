using System.Globalization;
using System.Text;
using Vigil.Tabular.Tables;

namespace Vigil.Validation.Cleaning;

/// <summary>
/// Writes a table as RFC 4180 CSV: UTF-8 without a byte order mark, comma-separated, CRLF after every record, a header of the
/// column names, values as <see cref="Column.GetText"/> gives them (null = empty field). A field holding a comma, a double quote,
/// CR or LF is quoted with inner quotes doubled; a record whose only field is empty is written as <c>""</c> so that it is not
/// read as a blank line. Numbers and timestamps are formatted into a buffer, so rows cost no allocations.
/// </summary>
public static class CleanedCsv
{
    public static void Write(TypedTable table, Stream output)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16, leaveOpen: true);
        var columns = table.Columns;
        var single = columns.Count == 1;
        for (var c = 0; c < columns.Count; c++)
        {
            if (c > 0) writer.Write(',');
            WriteField(writer, columns[c].Name, single);
        }
        writer.Write("\r\n");

        Span<char> buffer = stackalloc char[64];
        for (var row = 0; row < table.RowCount; row++)
        {
            for (var c = 0; c < columns.Count; c++)
            {
                if (c > 0) writer.Write(',');
                var column = columns[c];
                if (column.IsNull(row))
                {
                    if (single) writer.Write("\"\"");
                    continue;
                }
                switch (column.Type)
                {
                    case ColumnType.Integer:
                        writer.Write(Format(column.GetInt64(row), buffer, default));
                        break;
                    case ColumnType.Decimal:
                        writer.Write(Format(column.GetDouble(row), buffer, "R"));
                        break;
                    case ColumnType.Timestamp:
                        writer.Write(Format(column.GetTimestamp(row), buffer, "O"));
                        break;
                    case ColumnType.Boolean:
                        writer.Write(column.GetBoolean(row) ? "true" : "false");
                        break;
                    default:
                        WriteField(writer, column.GetString(row), single);
                        break;
                }
            }
            writer.Write("\r\n");
        }
    }

    private static ReadOnlySpan<char> Format<T>(T value, Span<char> buffer, ReadOnlySpan<char> format) where T : ISpanFormattable =>
        value.TryFormat(buffer, out var written, format, CultureInfo.InvariantCulture)
            ? buffer[..written]
            : throw new InvalidOperationException($"'{value}' does not fit the format buffer.");

    private static void WriteField(StreamWriter writer, string text, bool onlyField)
    {
        if (text.Length == 0)
        {
            if (onlyField) writer.Write("\"\"");
            return;
        }
        if (text.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            writer.Write(text);
            return;
        }
        writer.Write('"');
        var rest = text.AsSpan();
        for (var quote = rest.IndexOf('"'); quote >= 0; quote = rest.IndexOf('"'))
        {
            writer.Write(rest[..(quote + 1)]);
            writer.Write('"');
            rest = rest[(quote + 1)..];
        }
        writer.Write(rest);
        writer.Write('"');
    }
}
