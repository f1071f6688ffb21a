using System.Buffers;
using System.Globalization;
using System.Text;
using Vigil.Tabular.Tables;

namespace Vigil.Validation.Reconciliation;

/// <summary>
/// Writes every defect of a reconciliation (not only the samples) as CSV: RFC 4180 quoting, CRLF line ends,
/// UTF-8 without BOM. Columns: <c>kind</c> (snake case: missing_in_target, unexpected_in_target,
/// duplicate_key_in_source, duplicate_key_in_target, null_key_in_source, null_key_in_target, changed_value,
/// null_introduced), one column per key column named as the key, <c>column</c>, <c>source_value</c>,
/// <c>target_value</c>. Rows come in the order of <see cref="ReconciliationResult.EnumerateDefects"/>.
/// </summary>
/// <remarks>
/// Key values come from the row the defect is about (the source row for matched records). Record-level defects
/// leave <c>column</c> and the values empty; value defects give both values as invariant text. A null is written
/// as an empty field, as batches are read.
/// </remarks>
public static class ReconciliationDefectsCsv
{
    private static readonly SearchValues<char> NeedsQuoting = SearchValues.Create(",\"\r\n");

    public static void Write(ReconciliationResult result, TypedTable source, TypedTable target, ReconciliationOptions options, Stream output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        if (source.RowCount != result.SourceRows || target.RowCount != result.TargetRows)
            throw new ArgumentException("The tables are not the ones this result was reconciled from: their row counts differ.");
        if (!options.KeyColumns.SequenceEqual(result.KeyColumns, StringComparer.Ordinal))
            throw new ArgumentException("The options' key columns are not the ones this result was reconciled with.", nameof(options));

        var sourceKeys = result.KeyColumns.Select(k => source[k]).ToArray();
        var targetKeys = result.KeyColumns.Select(k => target[k]).ToArray();
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);

        WriteRecord(writer, ["kind", .. result.KeyColumns, "column", "source_value", "target_value"]);
        foreach (var defect in result.EnumerateDefects())
        {
            WriteField(writer, KindText(defect.Kind));
            var (keys, keyRow) = defect.SourceRow is { } s ? (sourceKeys, s) : (targetKeys, defect.TargetRow!.Value);
            foreach (var key in keys)
            {
                writer.Write(',');
                WriteValue(writer, key, keyRow);
            }

            writer.Write(',');
            if (defect.Column is { } column)
            {
                WriteField(writer, column);
                writer.Write(',');
                WriteValue(writer, source[column], defect.SourceRow!.Value);
                writer.Write(',');
                WriteValue(writer, target[column], defect.TargetRow!.Value);
            }
            else
            {
                writer.Write(",,");
            }

            writer.Write("\r\n");
        }
    }

    /// <summary>The text of a kind in the CSV's <c>kind</c> column.</summary>
    public static string KindText(DefectKind kind) => kind switch
    {
        DefectKind.MissingInTarget => "missing_in_target",
        DefectKind.UnexpectedInTarget => "unexpected_in_target",
        DefectKind.DuplicateKeyInSource => "duplicate_key_in_source",
        DefectKind.DuplicateKeyInTarget => "duplicate_key_in_target",
        DefectKind.ChangedValue => "changed_value",
        DefectKind.NullIntroduced => "null_introduced",
        DefectKind.NullKeyInSource => "null_key_in_source",
        DefectKind.NullKeyInTarget => "null_key_in_target",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// The value's <see cref="Column.GetText"/>, formatted straight into the writer for numbers, booleans and
    /// timestamps (their invariant forms never need quoting) so that a large defect list does not allocate per value.
    /// </summary>
    private static void WriteValue(StreamWriter writer, Column column, int row)
    {
        if (column.IsNull(row)) return;
        Span<char> buffer = stackalloc char[40];
        int written;
        switch (column.Type)
        {
            case ColumnType.Integer when column.GetInt64(row).TryFormat(buffer, out written, default, CultureInfo.InvariantCulture):
            case ColumnType.Decimal when column.GetDouble(row).TryFormat(buffer, out written, "R", CultureInfo.InvariantCulture):
            case ColumnType.Timestamp when column.GetTimestamp(row).TryFormat(buffer, out written, "O", CultureInfo.InvariantCulture):
                writer.Write(buffer[..written]);
                return;
            case ColumnType.Boolean:
                writer.Write(column.GetBoolean(row) ? "true" : "false");
                return;
            case ColumnType.String or ColumnType.Categorical:
                WriteField(writer, column.GetString(row));
                return;
            default:
                WriteField(writer, column.GetText(row));
                return;
        }
    }

    private static void WriteRecord(StreamWriter writer, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0) writer.Write(',');
            WriteField(writer, fields[i]);
        }

        writer.Write("\r\n");
    }

    private static void WriteField(StreamWriter writer, string value)
    {
        if (value.AsSpan().IndexOfAny(NeedsQuoting) < 0)
        {
            writer.Write(value);
            return;
        }

        writer.Write('"');
        writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        writer.Write('"');
    }
}
