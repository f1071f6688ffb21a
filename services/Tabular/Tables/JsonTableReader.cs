using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Vigil.Tabular.Parsing;

namespace Vigil.Tabular.Tables;

/// <summary>
/// Reads JSON-array and NDJSON batches record by record through a buffer refilled from the stream: one record (one
/// array element, one line) is in memory at a time, never the whole document.
/// </summary>
internal static class JsonTableReader
{
    /// <summary>The longest single record (array element or line) read, in bytes.</summary>
    internal const int MaxRecordBytes = 128 << 20;

    private enum Phase { BeforeArray, InArray, AfterArray }

    public static TypedTable ReadArray(Stream content, TableReadOptions options, int workers, int blockChars)
    {
        using var input = new ByteInput(content);
        if (!input.SkipWhitespace()) throw new BatchFormatException(TableReader.EmptyBatch);

        using var records = new JsonRecords(options, lines: false, workers, blockChars);
        var state = new JsonReaderState();
        var phase = Phase.BeforeArray;
        try
        {
            while (!ParseBuffered(input, ref state, ref phase, records))
            {
                input.Refill();
            }
        }
        catch (JsonException e)
        {
            throw new BatchFormatException(
                $"The batch is not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {Reason(e)}", e);
        }

        return records.ToTable();
    }

    /// <summary>Parses what the buffer holds; true at the end of the batch, false when it needs more bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool ParseBuffered(ByteInput input, ref JsonReaderState state, ref Phase phase, JsonRecords records)
    {
        var buffered = input.Pending;
        var reader = new Utf8JsonReader(buffered, input.Ended, state);
        while (true)
        {
            var before = reader.CurrentState;
            var consumedBefore = reader.BytesConsumed;
            if (!reader.Read())
            {
                // The final block ends cleanly only after the array (the reader throws otherwise).
                input.Consume((int)reader.BytesConsumed);
                state = reader.CurrentState;
                return input.Ended;
            }

            switch (phase)
            {
                case Phase.BeforeArray:
                    if (reader.TokenType != JsonTokenType.StartArray) throw NotAnArray(reader.TokenType);
                    phase = Phase.InArray;
                    break;

                case Phase.InArray when reader.TokenType == JsonTokenType.EndArray:
                    phase = Phase.AfterArray;
                    break;

                case Phase.InArray:
                    if (reader.TokenType != JsonTokenType.StartObject) throw records.NotAnObject(reader.TokenType, records.Count + 1);
                    if (!records.TryAdd(ref reader, buffered, records.Count + 1))
                    {
                        // The record goes on past the buffer: read it again from its start once more is in.
                        input.Consume((int)consumedBefore);
                        state = before;
                        return false;
                    }
                    break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static TypedTable ReadLines(Stream content, TableReadOptions options, int workers, int blockChars)
    {
        using var input = new ByteInput(content);
        using var records = new JsonRecords(options, lines: true, workers, blockChars);
        long line = 0;
        var searched = 0;
        while (true)
        {
            var pending = input.Pending;
            var newline = pending[searched..].IndexOf((byte)'\n');
            if (newline < 0 && !input.Ended)
            {
                // Refilling keeps the pending bytes at the front: no need to search them again.
                searched = pending.Length;
                input.Refill();
                continue;
            }

            if (newline >= 0) newline += searched;
            var text = newline < 0 ? pending : pending[..newline];
            if (newline < 0 && text.IsEmpty) break;

            line++;
            input.Consume(newline < 0 ? pending.Length : newline + 1);
            searched = 0;
            if (text.Length > 0 && text[^1] == '\r') text = text[..^1];
            if (IsWhitespace(text)) continue;

            try
            {
                var reader = new Utf8JsonReader(text, isFinalBlock: true, state: default);
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject) throw records.NotAnObject(reader.TokenType, line);
                records.TryAdd(ref reader, text, line);

                // A line holds one object and nothing else: this read throws on anything after it.
                reader.Read();
            }
            catch (JsonException e)
            {
                throw new BatchFormatException($"Line {line} is not valid JSON at byte {e.BytePositionInLine + 1}: {Reason(e)}", e);
            }
        }

        if (records.Count == 0) throw new BatchFormatException(TableReader.EmptyBatch);
        return records.ToTable();
    }

    private static bool IsWhitespace(ReadOnlySpan<byte> text) => text.IndexOfAnyExcept(" \t\r\n"u8) < 0;

    /// <summary>The reader's message without the position it appends (the caller says where, 1-based).</summary>
    private static string Reason(JsonException e)
    {
        var message = e.Message;
        var position = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (position >= 0) message = message[..position];
        message = message.Trim();
        return message.EndsWith('.') ? message : message + ".";
    }

    private static BatchFormatException NotAnArray(JsonTokenType token) => token == JsonTokenType.StartObject
        ? new BatchFormatException(
            "The batch is a single JSON object, not an array of objects; send [ {...}, {...} ], or one object per line as application/x-ndjson.")
        : new BatchFormatException($"The batch is a JSON {KindOf(token)}, not an array of objects.");

    internal static string KindOf(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "array",
        JsonTokenType.StartObject => "object",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// Turns JSON objects into rows: one column builder per key, in order of first appearance. A record's values are
    /// decoded into a scratch buffer as it is parsed and handed to the builders only once the whole record is in, so
    /// a record cut off by the end of the read buffer can be parsed again from its start.
    /// </summary>
    private sealed class JsonRecords(TableReadOptions options, bool lines, int workers, int blockChars) : IDisposable
    {
        private readonly List<ColumnBuilder> _builders = [];
        private readonly List<byte[]> _utf8Names = [];
        private readonly Dictionary<string, int> _columns = new(StringComparer.Ordinal);
        private int[] _seenIn = new int[16];      // the attempt that last gave the column a value
        private int[] _valueStarts = new int[16]; // where that value is in _values
        private int[] _valueEnds = new int[16];
        private int _attempt;
        private char[] _values = new char[1024];
        private int _valuesLength;
        private char[] _scratch = new char[256];
        private ColumnFeeder? _feeder;
        private int _rows;

        public int Count => _rows;

        /// <summary>
        /// Reads the rest of an object whose start the reader has just read, and adds it as a row. False, with nothing
        /// added, when the reader's data ends before the object does (only for a reader that is not on its final block).
        /// </summary>
        /// <param name="json">The reader's data, for the text of nested values.</param>
        /// <param name="number">The record's number (1-based) or, for NDJSON, its line.</param>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryAdd(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, long number)
        {
            var attempt = NextAttempt();
            _valuesLength = 0;
            var expected = 0;
            try
            {
                while (true)
                {
                    if (!reader.Read()) return false;
                    if (reader.TokenType == JsonTokenType.EndObject) break;

                    var column = ColumnOf(ref reader, expected, number);
                    if (_seenIn[column] == attempt)
                        throw new BatchFormatException($"{Label(number)} has the key '{_builders[column].Name}' more than once.");

                    if (!reader.Read()) return false;
                    var start = _valuesLength;
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.String:
                            AppendValue(Chars(ref reader, number));
                            break;
                        case JsonTokenType.Number:
                            AppendValue(Transcode(reader.ValueSpan, number));
                            break;
                        case JsonTokenType.True:
                            AppendValue("true");
                            break;
                        case JsonTokenType.False:
                            AppendValue("false");
                            break;
                        case JsonTokenType.StartObject or JsonTokenType.StartArray:
                            // A nested value is kept as its JSON text, exactly as written.
                            var tokenStart = (int)reader.TokenStartIndex;
                            if (!reader.TrySkip()) return false;
                            AppendValue(Transcode(json[tokenStart..(int)reader.BytesConsumed], number));
                            break;
                            // null: no text, which the column reads as null
                    }

                    _seenIn[column] = attempt;
                    _valueStarts[column] = start;
                    _valueEnds[column] = _valuesLength;
                    expected = column + 1;
                }
            }
            catch (InvalidOperationException e)
            {
                // Unescaping met an escape that is not text, such as half of a surrogate pair ("\ud800").
                throw new BatchFormatException($"{Label(number)} has a string that is not valid text: {e.Message}", e);
            }

            Commit(attempt);
            return true;
        }

        public BatchFormatException NotAnObject(JsonTokenType token, long number) =>
            new($"{Label(number)} is a JSON {KindOf(token)}, not an object.");

        public TypedTable ToTable()
        {
            _feeder?.Complete();
            return TableReader.Complete(_builders, _rows);
        }

        public void Dispose() => _feeder?.Dispose();

        private string Label(long number) => lines ? $"Line {number}" : $"Record {number}";

        private int NextAttempt()
        {
            if (_attempt == int.MaxValue)
            {
                Array.Clear(_seenIn);
                _attempt = 0;
            }
            return ++_attempt;
        }

        /// <summary>Hands the record's values to the builders, in column order; a missing key gives no text (null).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Commit(int attempt)
        {
            if (_rows == TableReader.MaxRows) throw TableReader.TooManyRows();
            var feeder = _feeder ??= new ColumnFeeder([.. _builders], workers, blockChars);
            var values = _values.AsSpan();
            for (var column = 0; column < _builders.Count; column++)
            {
                feeder.AddField(_seenIn[column] == attempt ? values[_valueStarts[column].._valueEnds[column]] : []);
            }
            feeder.EndRecord();
            _rows++;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int ColumnOf(ref Utf8JsonReader reader, int expected, long number)
        {
            // Records usually list their keys in the same order: compare the bytes before anything else.
            if (!reader.ValueIsEscaped && expected < _utf8Names.Count && reader.ValueSpan.SequenceEqual(_utf8Names[expected]))
                return expected;

            var name = Chars(ref reader, number);
            if (_columns.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var column)) return column;
            return AddColumn(name, number);
        }

        /// <summary>
        /// A key first seen now: a new column, null in every row so far. The builders so far are brought up to date
        /// first, and the rows from here on go through a new feeder that includes the new column.
        /// </summary>
        private int AddColumn(ReadOnlySpan<char> name, long number)
        {
            if (name.IsWhiteSpace()) throw new BatchFormatException($"{Label(number)} has a key with no name.");

            if (_feeder is not null)
            {
                _feeder.Complete();
                _feeder.Dispose();
                _feeder = null;
            }

            var text = name.ToString();
            var builder = new ColumnBuilder(text, options);
            builder.AddNulls(_rows);
            var column = _builders.Count;
            _builders.Add(builder);
            _utf8Names.Add(Encoding.UTF8.GetBytes(text));
            _columns.Add(text, column);
            if (column == _seenIn.Length)
            {
                Array.Resize(ref _seenIn, column * 2);
                Array.Resize(ref _valueStarts, column * 2);
                Array.Resize(ref _valueEnds, column * 2);
            }
            return column;
        }

        private void AppendValue(ReadOnlySpan<char> value)
        {
            if (_valuesLength + value.Length > _values.Length)
                Array.Resize(ref _values, Math.Max(_values.Length * 2, _valuesLength + value.Length));
            value.CopyTo(_values.AsSpan(_valuesLength));
            _valuesLength += value.Length;
        }

        /// <summary>The unescaped text of the current string or property name (valid until the next call).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private ReadOnlySpan<char> Chars(ref Utf8JsonReader reader, long number)
        {
            if (!reader.ValueIsEscaped) return Transcode(reader.ValueSpan, number);
            EnsureScratch(reader.ValueSpan.Length);
            return _scratch.AsSpan(0, reader.CopyString(_scratch));
        }

        /// <summary>UTF-8 as chars in the scratch buffer (valid until the next call).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private ReadOnlySpan<char> Transcode(ReadOnlySpan<byte> utf8, long number)
        {
            EnsureScratch(utf8.Length);
            if (Utf8.ToUtf16(utf8, _scratch, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
                throw new BatchFormatException($"{Label(number)} is not valid UTF-8.");
            return _scratch.AsSpan(0, written);
        }

        private void EnsureScratch(int length)
        {
            if (_scratch.Length < length) _scratch = new char[Math.Max(length, _scratch.Length * 2)];
        }
    }

    /// <summary>Bytes from the stream in a buffer that is refilled, and grown when one record fills it.</summary>
    private sealed class ByteInput : IDisposable
    {
        private const int InitialSize = 64 * 1024;

        private readonly Stream _stream;
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
        private int _start;
        private int _end;

        public ByteInput(Stream stream)
        {
            _stream = stream;
            Refill();
            if (Pending.StartsWith("\uFEFF"u8)) _start += 3;
        }

        public bool Ended { get; private set; }

        public ReadOnlySpan<byte> Pending => _buffer.AsSpan(_start, _end - _start);

        public void Consume(int count) => _start += count;

        /// <summary>Skips JSON whitespace; false when nothing else is left.</summary>
        public bool SkipWhitespace()
        {
            while (true)
            {
                var next = Pending.IndexOfAnyExcept(" \t\r\n"u8);
                if (next >= 0)
                {
                    _start += next;
                    return true;
                }

                _start = _end;
                if (Ended) return false;
                Refill();
            }
        }

        /// <summary>Keeps the bytes not yet consumed and reads more after them, growing the buffer if they fill it.</summary>
        public void Refill()
        {
            if (Ended) return;
            if (_start > 0)
            {
                Pending.CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                if (_buffer.Length >= MaxRecordBytes)
                    throw new BatchFormatException($"A record of the batch is longer than the limit of {MaxRecordBytes >> 20} MiB.");
                var larger = ArrayPool<byte>.Shared.Rent(Math.Min(MaxRecordBytes, _buffer.Length * 2));
                _buffer.AsSpan(0, _end).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }

            while (_end < _buffer.Length)
            {
                var read = _stream.Read(_buffer.AsSpan(_end));
                if (read == 0)
                {
                    Ended = true;
                    return;
                }
                _end += read;
            }
        }

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
