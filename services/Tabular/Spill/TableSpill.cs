using System.Text;
using Vigil.Tabular.Tables;

namespace Vigil.Tabular.Spill;

/// <summary>
/// A <see cref="TypedTable"/> written out exactly as it is held (the typed columnar spill that Validation leaves next
/// to a raw batch, so that Scoring reads the batch's typed columns instead of parsing its bytes a second time).
/// </summary>
/// <remarks>
/// Layout, little-endian, version 1:
/// <code>
/// "VIGILTBL"  8 bytes       magic
/// int32       version       1
/// origin      string key, string content type, uint16 delimiter (see SpillOrigin)
/// int32 rows, int32 columns
/// per column  string name, byte type (ColumnType), byte storage (0 values, 1 texts, 2 codes), byte has-nulls,
///             [rows bytes null mask], then by storage:
///               values  rows x int64 (integer, timestamp ticks) | float64 (decimal, bit for bit) | byte (boolean)
///               texts   rows x int32 UTF-8 lengths, int64 total, the UTF-8 bytes back to back
///               codes   int32 n, n strings (the distinct values), rows x int32 codes
/// uint64      XxHash64 of every byte before it
/// </code>
/// A string is an int32 byte length and strict UTF-8. Reading checks the magic, the version, the origin, every length
/// against the bytes left, the codes against their dictionary and the checksum, and throws
/// <see cref="SpillFormatException"/> on any mismatch: a spill is either the table that was written or nothing.
/// </remarks>
public static class TableSpill
{
    public const int FormatVersion = 1;

    /// <summary>The media type the spill is stored under.</summary>
    public const string MediaType = "application/vnd.vigil.table-spill";

    private static ReadOnlySpan<byte> Magic => "VIGILTBL"u8;

    private enum Storage : byte { Values = 0, Texts = 1, Codes = 2 }

    /// <summary>Writes <paramref name="table"/>; <see cref="NotSupportedException"/> when a column cannot be spilled exactly.</summary>
    public static void Write(Stream destination, TypedTable table, SpillOrigin origin)
    {
        if (!BitConverter.IsLittleEndian) throw new NotSupportedException("The columnar spill is written on little-endian machines only.");
        using var writer = new SpillWriter(destination);
        writer.Write(Magic);
        writer.WriteInt32(FormatVersion);
        writer.WriteString(origin.ObjectKey);
        writer.WriteString(origin.ContentType);
        writer.WriteValues<char>([origin.Delimiter]);
        writer.WriteInt32(table.RowCount);
        writer.WriteInt32(table.Columns.Count);
        foreach (var column in table.Columns) WriteColumn(writer, column);
        writer.Finish();
    }

    /// <summary>
    /// Reads a spill of <paramref name="length"/> bytes written from <paramref name="expected"/>; the stream is not disposed.
    /// </summary>
    /// <exception cref="SpillFormatException">The spill is not one, another version, truncated, corrupt, or from another origin.</exception>
    public static TypedTable Read(Stream source, long length, SpillOrigin expected)
    {
        try
        {
            using var buffered = new BufferedStream(source, 1 << 16);
            var reader = new SpillReader(buffered, length);
            Span<byte> magic = stackalloc byte[8];
            reader.Read(magic);
            if (!magic.SequenceEqual(Magic)) throw new SpillFormatException("The object is not a columnar spill.");
            var version = reader.ReadInt32();
            if (version != FormatVersion) throw new SpillFormatException($"The columnar spill has format version {version}; this reader knows {FormatVersion}.");
            var origin = new SpillOrigin(reader.ReadString(), reader.ReadString(), reader.ReadValues<char>(1)[0]);
            if (origin != expected) throw new SpillFormatException($"The columnar spill was made from {Describe(origin)}, not {Describe(expected)}.");
            var rows = reader.ReadInt32();
            var count = reader.ReadInt32();
            if (rows < 0 || count < 0) throw SpillReader.Corrupt($"{rows} rows and {count} columns");
            var columns = new Column[count];
            for (var i = 0; i < count; i++) columns[i] = ReadColumn(reader, rows);
            reader.Finish();
            return new TypedTable(columns, rows);
        }
        catch (Exception e) when (e is EndOfStreamException or DecoderFallbackException or ArgumentException or OverflowException)
        {
            throw new SpillFormatException($"The columnar spill is truncated or corrupt: {e.Message}", e);
        }
    }

    private static string Describe(SpillOrigin origin) => $"'{origin.ObjectKey}' ({origin.ContentType}, delimiter '{origin.Delimiter}')";

    private static void WriteColumn(SpillWriter writer, Column column)
    {
        writer.WriteString(column.Name);
        writer.WriteByte((byte)column.Type);
        var storage = column.Texts is not null ? Storage.Texts : column.Codes is not null ? Storage.Codes : Storage.Values;
        writer.WriteByte((byte)storage);
        writer.WriteByte(column.NullCount > 0 ? (byte)1 : (byte)0);
        if (column.NullCount > 0) writer.WriteValues<bool>(column.Nulls);
        switch (storage)
        {
            case Storage.Texts:
                WriteTexts(writer, column);
                break;
            case Storage.Codes:
                writer.WriteInt32(column.CodeValues!.Length);
                foreach (var value in column.CodeValues) writer.WriteString(value);
                writer.WriteValues<int>(column.Codes);
                break;
            default:
                switch (column.Type)
                {
                    case ColumnType.Integer or ColumnType.Timestamp: writer.WriteValues(column.Int64Values); break;
                    case ColumnType.Decimal: writer.WriteValues(column.DoubleValues); break;
                    case ColumnType.Boolean: writer.WriteValues<bool>(column.BooleanArray); break;
                    default: throw new NotSupportedException($"Column '{column.Name}' ({column.Type}) has no storage the spill knows.");
                }
                break;
        }
    }

    private static void WriteTexts(SpillWriter writer, Column column)
    {
        var texts = column.Texts!;
        var lengths = new int[column.Length];
        long total = 0;
        for (var row = 0; row < lengths.Length; row++)
        {
            lengths[row] = SpillWriter.Utf8.GetByteCount(texts.Get(row));
            total += lengths[row];
        }
        if (total > Array.MaxLength) throw new NotSupportedException($"Column '{column.Name}' holds more text than one spill column does.");
        writer.WriteValues<int>(lengths);
        writer.WriteInt64(total);
        for (var row = 0; row < lengths.Length; row++)
        {
            var written = SpillWriter.Utf8.GetBytes(texts.Get(row), writer.GetSpan(lengths[row]));
            writer.Advance(written);
        }
    }

    private static Column ReadColumn(SpillReader reader, int rows)
    {
        var name = reader.ReadString();
        var type = (ColumnType)reader.ReadByte();
        var storage = (Storage)reader.ReadByte();
        var hasNulls = reader.ReadByte();
        if (!Enum.IsDefined(type) || !Enum.IsDefined(storage) || hasNulls > 1)
            throw SpillReader.Corrupt($"column '{name}' with type {(int)type}, storage {(int)storage}");
        var nulls = hasNulls == 1 ? reader.ReadValues<bool>(rows) : new bool[rows];
        return (storage, type) switch
        {
            (Storage.Values, ColumnType.Integer) => Column.Integers(name, reader.ReadValues<long>(rows), nulls),
            (Storage.Values, ColumnType.Timestamp) => Column.Timestamps(name, reader.ReadValues<long>(rows), nulls),
            (Storage.Values, ColumnType.Decimal) => Column.Decimals(name, reader.ReadValues<double>(rows), nulls),
            (Storage.Values, ColumnType.Boolean) => Column.Booleans(name, reader.ReadValues<bool>(rows), nulls),
            (Storage.Texts, ColumnType.String) => Column.FromTextStore(name, ReadTexts(reader, rows), nulls),
            (Storage.Codes, ColumnType.String or ColumnType.Categorical) => ReadCoded(reader, name, type, rows, nulls),
            _ => throw SpillReader.Corrupt($"column '{name}' of type {type} stored as {storage}"),
        };
    }

    private static TextStore ReadTexts(SpillReader reader, int rows)
    {
        var lengths = reader.ReadValues<int>(rows);
        var total = reader.ReadInt64();
        if (total < 0 || total > Array.MaxLength) throw SpillReader.Corrupt($"a text column of {total:N0} bytes");
        var bytes = reader.ReadValues<byte>((int)total);
        var store = new TextStore();
        var chars = new char[Math.Max(1, lengths.Length == 0 ? 0 : lengths.Max())];
        var offset = 0;
        foreach (var length in lengths)
        {
            if (length < 0 || length > bytes.Length - offset) throw SpillReader.Corrupt("text lengths that do not add up to the texts");
            var count = SpillWriter.Utf8.GetChars(bytes.AsSpan(offset, length), chars);
            if (!store.TryAdd(chars.AsSpan(0, count))) throw SpillReader.Corrupt("more text than one column holds");
            offset += length;
        }
        if (offset != bytes.Length) throw SpillReader.Corrupt("text lengths that do not add up to the texts");
        return store;
    }

    private static Column ReadCoded(SpillReader reader, string name, ColumnType type, int rows, bool[] nulls)
    {
        var count = reader.ReadInt32();
        if (count < 0) throw SpillReader.Corrupt($"a dictionary of {count} values");
        var values = new string[count];
        for (var i = 0; i < count; i++) values[i] = reader.ReadString();
        var codes = reader.ReadValues<int>(rows);
        for (var row = 0; row < rows; row++)
        {
            if (!nulls[row] && (uint)codes[row] >= (uint)count) throw SpillReader.Corrupt($"code {codes[row]} in column '{name}' outside its {count} values");
        }
        return type == ColumnType.Categorical ? Column.Categoricals(name, codes, values, nulls) : Column.FromCodes(name, codes, values, nulls);
    }
}
