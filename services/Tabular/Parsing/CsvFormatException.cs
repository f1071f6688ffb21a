namespace Vigil.Tabular.Parsing;

/// <summary>
/// The batch is not well-formed CSV. The message is meant for the person who sent the batch.
/// </summary>
/// <param name="message">What is wrong, naming the row.</param>
/// <param name="rowNumber">The row the problem is in: 0 for the header, 1-based for data rows.</param>
/// <param name="lineNumber">
/// The 1-based physical line: for problems with a whole record (field count, unterminated quote) the line the
/// record starts on, otherwise the line the problem was found on.
/// </param>
public sealed class CsvFormatException(string message, long rowNumber, long lineNumber) : Exception(message)
{
    public long RowNumber { get; } = rowNumber;

    public long LineNumber { get; } = lineNumber;
}
