using System.Runtime.CompilerServices;

namespace Vigil.Tabular.Tables;

/// <summary>
/// Collects one column's values as they are read, then builds the typed <see cref="Column"/> once every row is in.
/// The type is decided exactly as <see cref="ColumnInference.Infer"/> decides it from all the texts.
/// </summary>
/// <remarks>
/// <para>
/// The builder never keeps one string per value. It guesses the column's type from the first value and parses each
/// value as it comes into flat typed storage (a long, a double, a bool or UTC ticks per row), with a one-byte
/// <see cref="ValueForms">form</see> that writes the original text back exactly; the rare text a fast parser turns
/// down is kept as it is. When a value does not fit the guess, the rows so far are replayed from their texts into
/// the next type that fits them all (integer to decimal, say) or into text storage.
/// </para>
/// <para>
/// Text is kept dictionary-encoded (one int per row) while the column has few distinct values, which is what
/// categorical columns and many string columns look like; past that, chars are stored back to back in a
/// <see cref="TextStore"/>. Storage grows in fixed-size chunks, so growing never copies what is already in.
/// </para>
/// </remarks>
public sealed class ColumnBuilder
{
    /// <summary>Distinct texts kept dictionary-encoded before a text column switches to storing its chars.</summary>
    internal const int DictionaryLimit = 4096;

    private enum Kind { Empty, Integer, Decimal, Boolean, Timestamp, Text, Built }

    private readonly TableReadOptions _options;
    private readonly string[] _nullTokens;
    private readonly ulong _nullTokenLengths;    // bit n: a token has n chars (bit 63: 63 or more)
    private readonly UInt128 _nullTokenStarts;   // bit c: a token starts with ASCII char c, in either case
    private readonly bool _nullTokenStartsNonAscii;
    private readonly int _dictionaryLimit;

    private Kind _kind;
    private int _count;
    private int _nonNull;
    private ChunkedList<bool>? _nulls;   // made at the first null

    // Typed storage, one entry per row (null rows hold the default).
    private ChunkedList<long>? _int64;   // Integer values, Timestamp UTC ticks
    private ChunkedList<double>? _doubles;
    private ChunkedList<bool>? _booleans;

    // How each typed value was written: one form for the whole column until a second one shows up.
    private int _uniformForm = -1;
    private ChunkedList<byte>? _forms;

    // Values the fast parsers turned down, kept as written: their rows (ascending) and texts.
    private ChunkedList<int>? _exceptionRows;
    private TextStore? _exceptionTexts;

    // Text: dictionary codes while distinct values are few, then chars.
    private TextDictionary? _dictionary;
    private ChunkedList<int>? _codes;
    private TextStore? _texts;

    public ColumnBuilder(string name, TableReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        Name = name;
        _options = options;
        _nullTokens = [.. options.NullTokens];
        foreach (var token in _nullTokens)
        {
            _nullTokenLengths |= token.Length < 64 ? 1UL << token.Length : 1UL << 63;
            if (token.Length == 0) continue;
            if (token[0] < 128)
                _nullTokenStarts |= (UInt128.One << char.ToLowerInvariant(token[0])) | (UInt128.One << char.ToUpperInvariant(token[0]));
            else
                _nullTokenStartsNonAscii = true;
        }
        _dictionaryLimit = Math.Max(DictionaryLimit, options.CategoricalMaxDistinct);
    }

    public string Name { get; }

    /// <summary>The number of values added so far.</summary>
    public int Count => _count;

    /// <summary>The type the values so far would give (<see cref="ColumnType.String"/> while none is non-null).</summary>
    public ColumnType CurrentType => _kind switch
    {
        Kind.Integer => ColumnType.Integer,
        Kind.Decimal => ColumnType.Decimal,
        Kind.Boolean => ColumnType.Boolean,
        Kind.Timestamp => ColumnType.Timestamp,
        Kind.Text when _texts is null && IsCategorical(_dictionary!.Count) => ColumnType.Categorical,
        _ => ColumnType.String,
    };

    /// <summary>Adds a value; null, the empty text and the null tokens of the options are null.</summary>
    public void Add(string? text)
    {
        if (text is null) AddNull();
        else Add(text.AsSpan());
    }

    /// <summary>Adds a value from a span that need not outlive the call; empty and the null tokens are null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(ReadOnlySpan<char> text)
    {
        ThrowIfBuilt();
        if (IsNullText(text))
        {
            AddNull();
            return;
        }

        if (_kind == Kind.Empty) Start(Guess(text));
        if (!TryAppend(text)) Retype(text);
        _nulls?.Add(false);
        _nonNull++;
        _count++;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddNull()
    {
        ThrowIfBuilt();
        if (_nulls is null)
        {
            _nulls = new ChunkedList<bool>();
            _nulls.AddRepeated(false, _count);
        }
        _nulls.Add(true);
        AppendDefault();
        _count++;
    }

    internal void AddNulls(int count)
    {
        for (var i = 0; i < count; i++) AddNull();
    }

    /// <summary>Builds the column from the values so far; the builder can go on and build again.</summary>
    public Column Build() => Build(release: false);

    /// <summary>Builds the column and lets go of the builder's storage while doing so; the builder is done after.</summary>
    internal Column BuildOnce() => Build(release: true);

    private Column Build(bool release)
    {
        ThrowIfBuilt();
        var nulls = _nulls is null ? new bool[_count] : release ? _nulls.MoveToArray() : _nulls.ToArray();
        var column = _kind switch
        {
            Kind.Integer => Column.Integers(Name, Take(_int64!, release), nulls),
            Kind.Decimal => Column.Decimals(Name, Take(_doubles!, release), nulls),
            Kind.Boolean => Column.Booleans(Name, Take(_booleans!, release), nulls),
            Kind.Timestamp => Column.Timestamps(Name, Take(_int64!, release), nulls),
            Kind.Text when _texts is not null => Column.FromTextStore(Name, _texts, nulls),
            Kind.Text => IsCategorical(_dictionary!.Count)
                ? Column.Categoricals(Name, Take(_codes!, release), _dictionary.ToArray(), nulls)
                : Column.FromCodes(Name, Take(_codes!, release), _dictionary.ToArray(), nulls),
            _ => Column.FromTextStore(Name, Empties(_count), nulls),
        };

        if (release)
        {
            _kind = Kind.Built;
            _int64 = null;
            _doubles = null;
            _booleans = null;
            _forms = null;
            _exceptionRows = null;
            _exceptionTexts = null;
            _dictionary = null;
            _codes = null;
            _texts = null;
        }
        return column;
    }

    private static T[] Take<T>(ChunkedList<T> list, bool release) => release ? list.MoveToArray() : list.ToArray();

    private static TextStore Empties(int count)
    {
        var store = new TextStore();
        for (var i = 0; i < count; i++) store.TryAdd([]);
        return store;
    }

    private bool IsCategorical(int distinct) =>
        distinct <= _options.CategoricalMaxDistinct && distinct <= _nonNull * _options.CategoricalMaxDistinctRatio;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsNullText(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return true;
        var lengthBit = text.Length < 64 ? 1UL << text.Length : 1UL << 63;
        if ((_nullTokenLengths & lengthBit) == 0) return false;
        var first = text[0];
        // Ignoring case, a few letters below U+0180 (dotless i, long s) match ASCII ones: those are compared in full.
        var maybe = first < 128 ? ((_nullTokenStarts >> first) & UInt128.One) != UInt128.Zero : _nullTokenStartsNonAscii || first < 0x180;
        return maybe && IsNullToken(text);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool IsNullToken(ReadOnlySpan<char> text)
    {
        foreach (var token in _nullTokens)
        {
            if (text.Equals(token, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    /// <summary>Sets up storage for <paramref name="kind"/> with a default entry for each row so far (all null).</summary>
    private void Start(Kind kind)
    {
        _kind = kind;
        switch (kind)
        {
            case Kind.Integer or Kind.Timestamp:
                _int64 = new ChunkedList<long>();
                _int64.AddRepeated(0, _count);
                break;
            case Kind.Decimal:
                _doubles = new ChunkedList<double>();
                _doubles.AddRepeated(0, _count);
                break;
            case Kind.Boolean:
                _booleans = new ChunkedList<bool>();
                _booleans.AddRepeated(false, _count);
                break;
            case Kind.Text:
                _dictionary = new TextDictionary();
                _codes = new ChunkedList<int>();
                _codes.AddRepeated(0, _count);
                break;
        }
    }

    private void AppendDefault()
    {
        switch (_kind)
        {
            case Kind.Integer or Kind.Timestamp: _int64!.Add(0); break;
            case Kind.Decimal: _doubles!.Add(0); break;
            case Kind.Boolean: _booleans!.Add(false); break;
            case Kind.Text when _texts is not null: _texts.TryAdd([]); break;
            case Kind.Text: _codes!.Add(0); break;
        }
    }

    /// <summary>Appends a non-null value as the current kind; false (nothing appended) when it is not of that kind.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryAppend(ReadOnlySpan<char> text)
    {
        switch (_kind)
        {
            case Kind.Integer:
                if (ValueForms.TryParseInteger(text, out var integer, out var form)) { _int64!.Add(integer); SetForm(form); return true; }
                if (!ColumnInference.TryParseInteger(text, out integer)) return false;
                _int64!.Add(integer);
                AddException(text);
                return true;

            case Kind.Decimal:
                if (ValueForms.TryParseDecimal(text, out var number, out form)) { _doubles!.Add(number); SetForm(form); return true; }
                if (!ColumnInference.TryParseDecimal(text, out number)) return false;
                _doubles!.Add(number);
                AddException(text);
                return true;

            case Kind.Boolean:
                if (ValueForms.TryParseBoolean(text, out var boolean, out form)) { _booleans!.Add(boolean); SetForm(form); return true; }
                if (!ColumnInference.TryParseBoolean(text, out boolean)) return false;
                _booleans!.Add(boolean);
                AddException(text);
                return true;

            case Kind.Timestamp:
                if (ValueForms.TryParseTimestamp(text, out var ticks, out form)) { _int64!.Add(ticks); SetForm(form); return true; }
                if (!ColumnInference.TryParseTimestamp(text, out var timestamp)) return false;
                _int64!.Add(timestamp.UtcTicks);
                AddException(text);
                return true;

            default:
                AppendText(text);
                return true;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AppendText(ReadOnlySpan<char> text)
    {
        if (_texts is not null)
        {
            AppendChars(text);
            return;
        }

        var code = _dictionary!.GetOrAdd(text, _dictionaryLimit);
        if (code < 0)
        {
            SwitchToChars();
            AppendChars(text);
            return;
        }
        _codes!.Add(code);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AppendChars(ReadOnlySpan<char> text)
    {
        if (!_texts!.TryAdd(text)) ThrowTooMuchText();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowTooMuchText() => throw new Parsing.BatchFormatException(
        $"Column '{Name}' holds more than {TextStore.MaxChars:N0} characters of text, more than one column can hold in memory.");

    /// <summary>Too many distinct texts for a dictionary: writes every row's text out as chars.</summary>
    private void SwitchToChars()
    {
        _texts = new TextStore();
        for (var row = 0; row < _count; row++)
        {
            AppendChars(IsNullRow(row) ? [] : _dictionary![_codes![row]]);
        }
        _dictionary = null;
        _codes = null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SetForm(byte form)
    {
        if (_forms is null)
        {
            if (form == _uniformForm) return;
            if (_uniformForm < 0)
            {
                _uniformForm = form;
                return;
            }
            _forms = new ChunkedList<byte>();
            _forms.AddRepeated((byte)_uniformForm, _count);
        }
        else if (_forms.Count < _count)
        {
            // Rows since the last form are nulls or kept texts: their form is never read.
            _forms.AddRepeated(0, _count - _forms.Count);
        }
        _forms.Add(form);
    }

    private byte FormOf(int row) =>
        _forms is null ? (byte)Math.Max(_uniformForm, 0) : row < _forms.Count ? _forms[row] : (byte)0;

    private void AddException(ReadOnlySpan<char> text)
    {
        _exceptionRows ??= new ChunkedList<int>();
        _exceptionTexts ??= new TextStore();
        _exceptionRows.Add(_count);
        AppendException(text);
    }

    private void AppendException(ReadOnlySpan<char> text)
    {
        if (!_exceptionTexts!.TryAdd(text)) ThrowTooMuchText();
    }

    private bool IsNullRow(int row) => _nulls is not null && _nulls[row];

    /// <summary>
    /// <paramref name="text"/> is not of the current kind: moves every row so far to the first kind after it that
    /// they and the new value all are (as <see cref="ColumnInference.Infer"/> would pick), text at the last, then
    /// appends the value.
    /// </summary>
    private void Retype(ReadOnlySpan<char> text)
    {
        ReadOnlySpan<Kind> candidates = _kind switch
        {
            Kind.Integer => [Kind.Decimal, Kind.Boolean, Kind.Timestamp],
            Kind.Decimal => [Kind.Boolean, Kind.Timestamp],
            Kind.Boolean => [Kind.Timestamp],
            _ => [],
        };

        foreach (var kind in candidates)
        {
            if (!IsOfKind(text, kind)) continue;
            if (TryReplayAs(kind, out var replacement))
            {
                Adopt(replacement);
                if (!TryAppend(text)) throw new InvalidOperationException("A value that parses as the new kind did not append.");
                return;
            }
        }

        if (!TryReplayAs(Kind.Text, out var asText)) throw new InvalidOperationException("Every value is text.");
        Adopt(asText);
        AppendText(text);
    }

    /// <summary>The kind of a column whose first value is <paramref name="text"/>: the first kind in inference order it is.</summary>
    private static Kind Guess(ReadOnlySpan<char> text)
    {
        foreach (var kind in (ReadOnlySpan<Kind>)[Kind.Integer, Kind.Decimal, Kind.Boolean, Kind.Timestamp])
        {
            if (IsOfKind(text, kind)) return kind;
        }
        return Kind.Text;
    }

    private static bool IsOfKind(ReadOnlySpan<char> text, Kind kind) => kind switch
    {
        Kind.Integer => ColumnInference.TryParseInteger(text, out _),
        Kind.Decimal => ColumnInference.TryParseDecimal(text, out _),
        Kind.Boolean => ColumnInference.TryParseBoolean(text, out _),
        Kind.Timestamp => ColumnInference.TryParseTimestamp(text, out _),
        _ => true,
    };

    /// <summary>A builder of <paramref name="kind"/> holding this one's rows, written out as their original texts.</summary>
    private bool TryReplayAs(Kind kind, out ColumnBuilder replacement)
    {
        replacement = new ColumnBuilder(Name, _options);
        replacement.Start(kind);
        var nextException = 0;
        var nextExceptionRow = _exceptionRows is { Count: > 0 } ? _exceptionRows[0] : -1;
        for (var row = 0; row < _count; row++)
        {
            if (IsNullRow(row))
            {
                replacement.AddNull();
                continue;
            }

            ReadOnlySpan<char> text;
            if (row == nextExceptionRow)
            {
                text = _exceptionTexts!.Get(nextException++);
                nextExceptionRow = nextException < _exceptionRows!.Count ? _exceptionRows[nextException] : -1;
            }
            else
            {
                text = TextOf(row);
            }

            if (!replacement.TryAppend(text)) return false;
            replacement._nulls?.Add(false);
            replacement._nonNull++;
            replacement._count++;
        }
        return true;
    }

    /// <summary>The original text of a non-null row that is not a kept exception.</summary>
    private string TextOf(int row) => _kind switch
    {
        Kind.Integer => ValueForms.FormatInteger(_int64![row], FormOf(row)),
        Kind.Decimal => ValueForms.FormatDecimal(_doubles![row], FormOf(row)),
        Kind.Boolean => ValueForms.FormatBoolean(FormOf(row)),
        Kind.Timestamp => ValueForms.FormatTimestamp(_int64![row], FormOf(row)),
        _ => throw new InvalidOperationException("Text rows are not replayed."),
    };

    private void Adopt(ColumnBuilder other)
    {
        _kind = other._kind;
        _nulls = other._nulls;
        _int64 = other._int64;
        _doubles = other._doubles;
        _booleans = other._booleans;
        _uniformForm = other._uniformForm;
        _forms = other._forms;
        _exceptionRows = other._exceptionRows;
        _exceptionTexts = other._exceptionTexts;
        _dictionary = other._dictionary;
        _codes = other._codes;
        _texts = other._texts;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ThrowIfBuilt()
    {
        if (_kind == Kind.Built) ThrowBuilt();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowBuilt() => throw new InvalidOperationException($"Column '{Name}' has been built; its builder is done.");
}
