using System.Buffers;
using System.Diagnostics;
using System.Text.Unicode;

namespace Vigil.Tabular.Parsing;

/// <summary>
/// Reads a CSV batch (RFC 4180, UTF-8) from a forward-only stream, one record at a time, without holding more than
/// one decoded buffer and the current record in memory.
/// </summary>
/// <remarks>
/// <para>
/// The rules: fields are separated by <see cref="CsvOptions.Delimiter"/>; records end with CRLF, LF or a lone CR.
/// A field that starts with a double quote is quoted: it may contain delimiters, line breaks (kept as they are in
/// the input) and doubled quotes (read as one quote), and it must end with a quote followed by a delimiter, a line
/// break or the end of input. A quote inside a field that does not start with one is an ordinary character.
/// </para>
/// <para>
/// Lines that are completely empty are skipped wherever they occur (before the header, between records, at the end),
/// so a trailing line break never makes an empty record. A line holding only spaces is not empty: it is a record
/// with one field. Whitespace is never trimmed. A UTF-8 byte order mark at the start is skipped; bytes that are not
/// valid UTF-8 make the read fail at the row that holds them.
/// </para>
/// <para>
/// Any <see cref="CsvFormatException"/> ends the reading, except a field-count mismatch from <see cref="ReadRecord"/>:
/// that row has been consumed, so the next call reads the row after it. The reader does not dispose the stream and
/// is not thread-safe.
/// </para>
/// </remarks>
public sealed class CsvRecordReader : IDisposable
{
    private const int ByteBufferSize = 64 * 1024;
    private const int InitialRecordCapacity = 4 * 1024;
    private const int InitialFieldCapacity = 64;

    private readonly Stream _stream;
    private readonly char _delimiter;
    private readonly int _maxFieldLength;

    // Raw bytes: _byteCount not yet decoded bytes at the front (an incomplete UTF-8 sequence carried over).
    private byte[] _bytes;
    private int _byteCount;
    private bool _streamEnded;
    private bool _invalidUtf8;
    private bool _atStart = true;

    // Decoded chars: _chars[_charPos.._charLen] not yet parsed.
    private char[] _chars;
    private int _charPos;
    private int _charLen;

    // The current record: field contents back to back in _record, the end of field i at _fieldEnds[i].
    private char[] _record;
    private int _recordLength;
    private int _fieldStart;
    private int[] _fieldEnds;
    private int _fieldCount;
    private int _surplusFields;
    private bool _fieldQuoted;

    private long _line = 1;
    private bool _skipLineFeed;
    private long _rowNumber;
    private long _recordLine;
    private long _parsingRow;

    private string[]? _header;
    private bool _faulted;
    private bool _disposed;

    /// <summary>Creates a reader over <paramref name="stream"/>, which it reads forward only and does not dispose.</summary>
    /// <exception cref="ArgumentException">The stream cannot be read, or the options are not usable.</exception>
    public CsvRecordReader(Stream stream, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream cannot be read.", nameof(stream));
        }

        options ??= new CsvOptions();
        if (options.Delimiter is '"' or '\r' or '\n')
        {
            throw new ArgumentException(
                $"The delimiter cannot be U+{(int)options.Delimiter:X4}: quotes and line breaks have their own meaning in CSV.",
                nameof(options));
        }

        if (options.MaxFieldLength <= 0)
        {
            throw new ArgumentException(
                $"{nameof(CsvOptions.MaxFieldLength)} must be positive, not {options.MaxFieldLength}.", nameof(options));
        }

        _stream = stream;
        _delimiter = options.Delimiter;
        _maxFieldLength = options.MaxFieldLength;

        _bytes = ArrayPool<byte>.Shared.Rent(ByteBufferSize);
        // UTF-8 never decodes to more UTF-16 chars than it has bytes, so one byte buffer always fits.
        _chars = ArrayPool<char>.Shared.Rent(_bytes.Length);
        _record = ArrayPool<char>.Shared.Rent(InitialRecordCapacity);
        _fieldEnds = ArrayPool<int>.Shared.Rent(InitialFieldCapacity);
    }

    /// <summary>The number of fields in the current record (the header's after <see cref="ReadHeader"/>), 0 at the end.</summary>
    public int FieldCount => _fieldCount;

    /// <summary>The 1-based data row number of the current record; the header is row 0.</summary>
    public long RowNumber => _rowNumber;

    /// <summary>The 1-based physical line the current record starts on.</summary>
    public long LineNumber => _recordLine;

    /// <summary>Reads the header row: the column names, exactly as written (not trimmed).</summary>
    /// <exception cref="CsvFormatException">
    /// The batch is empty (no bytes, or only whitespace and line breaks), a column name is blank or repeated, or the
    /// header row is malformed.
    /// </exception>
    /// <exception cref="InvalidOperationException">The header has already been read.</exception>
    public IReadOnlyList<string> ReadHeader()
    {
        ThrowIfUnusable();
        if (_header is not null)
        {
            throw new InvalidOperationException("The header has already been read.");
        }

        try
        {
            _parsingRow = 0;
            if (!ReadFields() || IsOnlyWhitespace())
            {
                throw new CsvFormatException("The batch is empty", 0, _line);
            }

            var names = new string[_fieldCount];
            var seen = new HashSet<string>(_fieldCount, StringComparer.Ordinal);
            for (var i = 0; i < names.Length; i++)
            {
                var name = GetField(i);
                if (name.IsWhiteSpace())
                {
                    throw new CsvFormatException($"Column {i + 1} has no name", 0, _recordLine);
                }

                names[i] = name.ToString();
                if (!seen.Add(names[i]))
                {
                    throw new CsvFormatException($"Column '{names[i]}' appears twice", 0, _recordLine);
                }
            }

            _header = names;
            return Array.AsReadOnly(names);
        }
        catch (CsvFormatException)
        {
            Fault();
            throw;
        }
    }

    /// <summary>Reads the next data record into the field buffer.</summary>
    /// <returns><see langword="false"/> at the end of the batch.</returns>
    /// <exception cref="CsvFormatException">
    /// The record has a different number of fields than the header (the reader can go on with the next record),
    /// or it is malformed: an unterminated quoted field, characters after a closing quote, a field longer than
    /// <see cref="CsvOptions.MaxFieldLength"/>, bytes that are not UTF-8.
    /// </exception>
    /// <exception cref="InvalidOperationException"><see cref="ReadHeader"/> has not been called.</exception>
    public bool ReadRecord()
    {
        ThrowIfUnusable();
        if (_header is null)
        {
            throw new InvalidOperationException($"Call {nameof(ReadHeader)} before {nameof(ReadRecord)}.");
        }

        bool read;
        try
        {
            _parsingRow = _rowNumber + 1;
            read = ReadFields();
        }
        catch (CsvFormatException)
        {
            Fault();
            throw;
        }

        if (!read)
        {
            return false;
        }

        _rowNumber++;
        var fields = _fieldCount + _surplusFields;
        if (fields != _header.Length)
        {
            _fieldCount = 0;
            throw new CsvFormatException(
                $"Row {_rowNumber} has {fields} {(fields == 1 ? "field" : "fields")} but the header has {_header.Length}",
                _rowNumber,
                _recordLine);
        }

        return true;
    }

    /// <summary>The unquoted content of field <paramref name="index"/> of the current record, valid until the next read.</summary>
    public ReadOnlySpan<char> GetField(int index)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if ((uint)index >= (uint)_fieldCount)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The current record has {_fieldCount} fields.");
        }

        var start = index == 0 ? 0 : _fieldEnds[index - 1];
        return _record.AsSpan(start, _fieldEnds[index] - start);
    }

    /// <summary>Field <paramref name="index"/> of the current record as a new string.</summary>
    public string GetFieldString(int index) => new(GetField(index));

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _fieldCount = 0;
        ArrayPool<byte>.Shared.Return(_bytes);
        ArrayPool<char>.Shared.Return(_chars);
        ArrayPool<char>.Shared.Return(_record);
        ArrayPool<int>.Shared.Return(_fieldEnds);
        _bytes = [];
        _chars = [];
        _record = [];
        _fieldEnds = [];
    }

    /// <summary>Reads one record's fields; false when only empty lines (or nothing) are left.</summary>
    private bool ReadFields()
    {
        _fieldCount = 0;
        _surplusFields = 0;
        _recordLength = 0;
        _fieldStart = 0;

        if (!SkipEmptyLines())
        {
            return false;
        }

        _recordLine = _line;
        while (true)
        {
            if (!HasData())
            {
                // The input ended right after a delimiter: the last field is empty.
                EndField();
                return true;
            }

            var endOfRecord = _chars[_charPos] == '"' ? ReadQuotedField() : ReadUnquotedField();
            EndField();
            if (endOfRecord)
            {
                return true;
            }
        }
    }

    /// <summary>Reads an unquoted field up to and including its delimiter or line break; true at the end of the record.</summary>
    private bool ReadUnquotedField()
    {
        _fieldQuoted = false;
        while (true)
        {
            var pending = _chars.AsSpan(_charPos, _charLen - _charPos);
            var stop = pending.IndexOfAny(_delimiter, '\r', '\n');
            if (stop < 0)
            {
                Append(pending);
                _charPos = _charLen;
                if (!Fill())
                {
                    return true;
                }

                continue;
            }

            Append(pending[..stop]);
            var c = pending[stop];
            _charPos += stop + 1;
            if (c == _delimiter)
            {
                return false;
            }

            EndLine(c);
            return true;
        }
    }

    /// <summary>Reads a quoted field up to and including what follows its closing quote; true at the end of the record.</summary>
    private bool ReadQuotedField()
    {
        _fieldQuoted = true;
        _charPos++;
        while (true)
        {
            if (!HasData())
            {
                throw Error($"{RowLabel()} starting at line {_recordLine} has an unterminated quoted field", _recordLine);
            }

            var pending = _chars.AsSpan(_charPos, _charLen - _charPos);
            var stop = pending.IndexOfAny('"', '\r', '\n');
            if (stop < 0)
            {
                Append(pending);
                _charPos = _charLen;
                continue;
            }

            Append(pending[..stop]);
            var c = pending[stop];
            _charPos += stop + 1;

            if (c == '"')
            {
                if (!HasData())
                {
                    return true;
                }

                var next = _chars[_charPos];
                if (next == '"')
                {
                    Append("\"");
                    _charPos++;
                    continue;
                }

                if (next == _delimiter)
                {
                    _charPos++;
                    return false;
                }

                if (next is '\r' or '\n')
                {
                    _charPos++;
                    EndLine(next);
                    return true;
                }

                throw Error(
                    $"{RowLabel()} starting at line {_recordLine} has characters after the closing quote of field {FieldNumber()} (line {_line})",
                    _line);
            }

            // A line break inside quotes is part of the field, CRLF included.
            _line++;
            if (c == '\r' && HasData() && _chars[_charPos] == '\n')
            {
                Append("\r\n");
                _charPos++;
            }
            else
            {
                Append(c == '\r' ? "\r" : "\n");
            }
        }
    }

    private void EndLine(char lineBreak)
    {
        _line++;
        _skipLineFeed = lineBreak == '\r';
    }

    /// <summary>Skips empty lines before a record; false at the end of input.</summary>
    private bool SkipEmptyLines()
    {
        while (HasData())
        {
            var c = _chars[_charPos];
            if (_skipLineFeed)
            {
                // The LF of a CRLF that ended the previous line.
                _skipLineFeed = false;
                if (c == '\n')
                {
                    _charPos++;
                    continue;
                }
            }

            if (c is not ('\r' or '\n'))
            {
                return true;
            }

            _charPos++;
            EndLine(c);
        }

        return false;
    }

    /// <summary>
    /// True when the header just read is a single unquoted blank field and nothing but whitespace follows it, so the
    /// batch holds no data at all. Consumes the rest of the input in that case only.
    /// </summary>
    private bool IsOnlyWhitespace()
    {
        if (_fieldCount != 1 || _fieldQuoted || !GetField(0).IsWhiteSpace())
        {
            return false;
        }

        while (HasData())
        {
            var pending = _chars.AsSpan(_charPos, _charLen - _charPos);
            foreach (var c in pending)
            {
                if (!char.IsWhiteSpace(c))
                {
                    return false;
                }
            }

            _charPos = _charLen;
        }

        return true;
    }

    private void Append(ReadOnlySpan<char> chars)
    {
        if (chars.IsEmpty)
        {
            return;
        }

        if (_recordLength - _fieldStart + chars.Length > _maxFieldLength)
        {
            var hint = _fieldQuoted ? "; is a quote left open?" : string.Empty;
            throw Error(
                $"{RowLabel()} starting at line {_recordLine} has field {FieldNumber()} longer than the limit of {_maxFieldLength} characters{hint}",
                _line);
        }

        var needed = (long)_recordLength + chars.Length;
        if (needed > _record.Length)
        {
            GrowRecord(needed);
        }

        chars.CopyTo(_record.AsSpan(_recordLength));
        _recordLength += chars.Length;
    }

    private void GrowRecord(long needed)
    {
        if (needed > Array.MaxLength)
        {
            throw Error($"{RowLabel()} starting at line {_recordLine} is too long to read", _line);
        }

        var larger = ArrayPool<char>.Shared.Rent((int)Math.Min(Math.Max(needed, 2L * _record.Length), Array.MaxLength));
        _record.AsSpan(0, _recordLength).CopyTo(larger);
        ArrayPool<char>.Shared.Return(_record);
        _record = larger;
    }

    private void EndField()
    {
        if (_header is not null && _fieldCount == _header.Length)
        {
            // A field beyond the header's width: checked and counted for the error, not kept.
            _surplusFields++;
            _recordLength = _fieldStart;
            return;
        }

        if (_fieldCount == _fieldEnds.Length)
        {
            var larger = ArrayPool<int>.Shared.Rent(_fieldEnds.Length * 2);
            _fieldEnds.AsSpan(0, _fieldCount).CopyTo(larger);
            ArrayPool<int>.Shared.Return(_fieldEnds);
            _fieldEnds = larger;
        }

        _fieldEnds[_fieldCount++] = _recordLength;
        _fieldStart = _recordLength;
    }

    private bool HasData() => _charPos < _charLen || Fill();

    /// <summary>Decodes the next chars from the stream; false at the end of input.</summary>
    private bool Fill()
    {
        while (true)
        {
            if (_invalidUtf8)
            {
                // Everything before the invalid bytes has been parsed, so the row and line are exact.
                var row = _parsingRow == 0 ? "header row" : $"row {_parsingRow}";
                throw Error($"The batch is not valid UTF-8 ({row})", _line);
            }

            if (_streamEnded && _byteCount == 0)
            {
                return false;
            }

            if (!_streamEnded)
            {
                var read = _stream.Read(_bytes.AsSpan(_byteCount));
                if (read == 0)
                {
                    _streamEnded = true;
                }
                else
                {
                    _byteCount += read;
                }
            }

            var status = Utf8.ToUtf16(
                _bytes.AsSpan(0, _byteCount),
                _chars,
                out var bytesRead,
                out var charsWritten,
                replaceInvalidSequences: false,
                isFinalBlock: _streamEnded);
            Debug.Assert(status != OperationStatus.DestinationTooSmall, "The char buffer holds a whole byte buffer.");

            if (status == OperationStatus.InvalidData)
            {
                _invalidUtf8 = true;
                _byteCount = 0;
            }
            else
            {
                // NeedMoreData leaves the start of a multi-byte sequence for the next read.
                var carried = _byteCount - bytesRead;
                _bytes.AsSpan(bytesRead, carried).CopyTo(_bytes);
                _byteCount = carried;
            }

            _charPos = 0;
            _charLen = charsWritten;
            if (_atStart && charsWritten > 0)
            {
                _atStart = false;
                if (_chars[0] == '\uFEFF')
                {
                    _charPos = 1;
                }
            }

            if (_charPos < _charLen)
            {
                return true;
            }
        }
    }

    private string RowLabel() => _parsingRow == 0 ? "The header row" : $"Row {_parsingRow}";

    private int FieldNumber() => _fieldCount + _surplusFields + 1;

    private CsvFormatException Error(string message, long line) => new(message, _parsingRow, line);

    private void Fault()
    {
        _faulted = true;
        _fieldCount = 0;
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_faulted)
        {
            throw new InvalidOperationException("The reader stopped at a format error in the batch and cannot go on.");
        }
    }
}
