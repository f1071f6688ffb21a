using System.Runtime.CompilerServices;
using Vigil.Tabular.Parsing;

namespace Vigil.Tabular.Tables;

/// <summary>
/// Reads a batch (CSV, JSON array of objects, or NDJSON) from a forward-only stream into a <see cref="TypedTable"/>,
/// one record at a time: the stream is never read whole into memory, and values go straight into typed column
/// storage (see <see cref="ColumnBuilder"/>).
/// </summary>
/// <remarks>
/// <para>
/// CSV follows RFC 4180 as <see cref="CsvRecordReader"/> reads it (quotes, line breaks inside quotes, a byte order
/// mark, <see cref="TableReadOptions.Delimiter"/>); the header row names the columns.
/// </para>
/// <para>
/// JSON: every record must be an object. Columns come in the order their keys first appear; a record without a key
/// has null there. JSON <c>null</c> is null. Numbers, <c>true</c>/<c>false</c> and strings all go through the same
/// type inference as CSV text, so the string <c>"12"</c> counts as the integer 12 just as the number <c>12</c>
/// does, and a column mixing them is an integer column. A nested object or array is kept as its JSON text, exactly
/// as written, in a text column.
/// </para>
/// <para>
/// A batch with columns but no rows (a CSV header alone, <c>[]</c>) gives a table with 0 rows: whether that is
/// acceptable is the caller's decision. A batch with no content at all (no bytes, or only whitespace and a byte order
/// mark) is rejected. The stream is not disposed.
/// </para>
/// </remarks>
public static class TableReader
{
    public const string CsvMediaType = "text/csv";
    public const string JsonMediaType = "application/json";
    public const string NdjsonMediaType = "application/x-ndjson";

    internal const string EmptyBatch = "The batch is empty.";

    /// <summary>Reads the whole batch in <paramref name="content"/> as <paramref name="mediaType"/>.</summary>
    /// <param name="mediaType">
    /// <c>text/csv</c>, <c>application/json</c> or <c>application/x-ndjson</c>; parameters such as
    /// <c>; charset=utf-8</c> are ignored (the batch must be UTF-8 in any case).
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="TableReadOptions.BuildThreads"/> is negative.</exception>
    /// <exception cref="BatchFormatException">
    /// The batch is empty, is not well-formed in its format, is not UTF-8, repeats a column, holds a JSON record that
    /// is not an object, or the media type is not one of the three. The message says where, for the sender.
    /// </exception>
    public static TypedTable Read(Stream content, string mediaType, TableReadOptions? options = null) =>
        Read(content, mediaType, options, options?.BuildThreads ?? ColumnFeeder.DefaultWorkers, ColumnFeeder.DefaultBlockChars);

    /// <summary><see cref="Read(Stream, string, TableReadOptions?)"/> with the worker threads and block size chosen.</summary>
    internal static TypedTable Read(Stream content, string mediaType, TableReadOptions? options, int workers, int blockChars)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(mediaType);
        ArgumentOutOfRangeException.ThrowIfNegative(workers);
        options ??= TableReadOptions.Default;

        return EssenceOf(mediaType) switch
        {
            CsvMediaType => ReadCsv(content, options, workers, blockChars),
            JsonMediaType => JsonTableReader.ReadArray(content, options, workers, blockChars),
            NdjsonMediaType => JsonTableReader.ReadLines(content, options, workers, blockChars),
            _ => throw new BatchFormatException($"Batches of type '{mediaType}' cannot be read; send text/csv, application/json or application/x-ndjson."),
        };
    }

    /// <summary>The type/subtype of a media type, lower case, without parameters.</summary>
    private static string EssenceOf(string mediaType)
    {
        var semicolon = mediaType.IndexOf(';');
        return (semicolon < 0 ? mediaType : mediaType[..semicolon]).Trim().ToLowerInvariant();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static TypedTable ReadCsv(Stream content, TableReadOptions options, int workers, int blockChars)
    {
        try
        {
            using var reader = new CsvRecordReader(content, new CsvOptions { Delimiter = options.Delimiter });
            var header = reader.ReadHeader();
            var builders = new ColumnBuilder[header.Count];
            for (var i = 0; i < builders.Length; i++) builders[i] = new ColumnBuilder(header[i], options);

            // This thread parses; the feeder builds the columns, on worker threads once the batch is large enough.
            using var feeder = new ColumnFeeder(builders, workers, blockChars);
            var rows = 0;
            while (reader.ReadRecord())
            {
                if (rows == MaxRows) throw TooManyRows();
                for (var i = 0; i < builders.Length; i++) feeder.AddField(reader.GetField(i));
                feeder.EndRecord();
                rows++;
            }

            feeder.Complete();
            return Complete(builders, rows);
        }
        catch (CsvFormatException e) when (e.RowNumber == 0 && e.Message.StartsWith("The batch is empty", StringComparison.Ordinal))
        {
            throw new BatchFormatException(EmptyBatch, e);
        }
        catch (CsvFormatException e)
        {
            throw new BatchFormatException(Sentence(e.Message), e);
        }
    }

    /// <summary>The most rows a table holds (every column is one array, at most <see cref="Array.MaxLength"/> long).</summary>
    internal const int MaxRows = 2_000_000_000;

    internal static BatchFormatException TooManyRows() =>
        new($"The batch has more than {MaxRows:N0} rows, more than one table can hold; split it into smaller batches.");

    /// <summary>Builds every column, letting go of each builder's storage as it goes, so the batch is not held twice.</summary>
    internal static TypedTable Complete(IReadOnlyList<ColumnBuilder> builders, int rows)
    {
        var columns = new Column[builders.Count];
        for (var i = 0; i < columns.Length; i++) columns[i] = builders[i].BuildOnce();
        return new TypedTable(columns, rows);
    }

    private static string Sentence(string message) => message.EndsWith('.') ? message : message + ".";
}
