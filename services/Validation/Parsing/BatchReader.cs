namespace Vigil.Validation.Parsing;

/// <summary>Reads a batch of any accepted format into its <see cref="BatchShape"/>, or says why it cannot.</summary>
public static class BatchReader
{
    /// <exception cref="BatchFormatException">The batch is malformed or has no rows.</exception>
    public static BatchShape Summarize(string mediaType, Stream content)
    {
        BatchShape shape;
        try
        {
            shape = mediaType switch
            {
                "text/csv" => FromCsv(content),
                "application/json" => JsonBatchSummary.SummarizeArray(content),
                "application/x-ndjson" => JsonBatchSummary.SummarizeLines(content),
                _ => throw new BatchFormatException($"Batches of type '{mediaType}' cannot be read."),
            };
        }
        catch (CsvFormatException e)
        {
            throw new BatchFormatException(e.Message, e);
        }
        if (shape.RowCount == 0)
            throw new BatchFormatException(shape.Columns.Count == 0 ? "The batch is empty." : "The batch has a header but no rows.");
        return shape;
    }

    private static BatchShape FromCsv(Stream content)
    {
        var (columns, rows) = CsvBatchSummary.Summarize(content);
        return new BatchShape(columns, rows);
    }
}
