namespace Vigil.Tabular.Parsing;

/// <summary>One forward pass over a CSV batch: its columns and how many data rows it has.</summary>
public static class CsvBatchSummary
{
    /// <summary>
    /// Reads <paramref name="stream"/> to its end once, checking every row as <see cref="CsvRecordReader"/> does.
    /// A header-only batch is valid here and has 0 rows; whether that is acceptable is the caller's decision.
    /// The stream is not disposed.
    /// </summary>
    /// <exception cref="CsvFormatException">The batch is empty or not well-formed CSV.</exception>
    public static (IReadOnlyList<string> Columns, long RowCount) Summarize(Stream stream, CsvOptions? options = null)
    {
        using var reader = new CsvRecordReader(stream, options);
        var columns = reader.ReadHeader();
        long rows = 0;
        while (reader.ReadRecord())
        {
            rows++;
        }

        return (columns, rows);
    }
}
