using System.Globalization;

namespace Vigil.Tabular.Tables;

/// <summary>
/// One typed column of a <see cref="TypedTable"/>: values in a flat array of the column's type, plus a null mask.
/// Accessors of the wrong type throw; <see cref="GetText"/> works for every type.
/// </summary>
/// <remarks>
/// String values are not kept as one .NET string each: their chars lie back to back in a <see cref="TextStore"/>, or,
/// when they repeat, as codes into their distinct values. <see cref="GetStringSpan"/> reads one without allocating;
/// <see cref="GetString"/> makes a new string on each call for a String column read from a batch.
/// </remarks>
public sealed class Column
{
    private readonly bool[] _nulls;
    private readonly long[]? _int64;      // Integer values; Timestamp as UTC ticks
    private readonly double[]? _doubles;  // Decimal values
    private readonly bool[]? _booleans;
    private readonly TextStore? _texts;   // String values, back to back
    private readonly int[]? _codes;       // Categorical codes into _categories; or String codes into _categories
    private readonly string[]? _categories;

    private Column(string name, ColumnType type, bool[] nulls, long[]? int64 = null, double[]? doubles = null, bool[]? booleans = null,
        TextStore? texts = null, int[]? codes = null, string[]? categories = null)
    {
        Name = name;
        Type = type;
        _nulls = nulls;
        _int64 = int64;
        _doubles = doubles;
        _booleans = booleans;
        _texts = texts;
        _codes = codes;
        _categories = categories;
        NullCount = nulls.AsSpan().Count(true);
    }

    public string Name { get; }
    public ColumnType Type { get; }
    public int Length => _nulls.Length;
    public int NullCount { get; }

    public bool IsNumeric => Type is ColumnType.Integer or ColumnType.Decimal;

    public bool IsNull(int row) => _nulls[row];

    public long GetInt64(int row) => Require(_int64 is not null && Type == ColumnType.Integer, "integer")[row];

    /// <summary>Numeric value of an Integer or Decimal column.</summary>
    public double GetDouble(int row) => Type switch
    {
        ColumnType.Integer => _int64![row],
        ColumnType.Decimal => _doubles![row],
        _ => throw WrongType("numeric"),
    };

    public bool GetBoolean(int row) => Require(_booleans, "boolean")[row];

    public DateTimeOffset GetTimestamp(int row) =>
        new(Require(_int64 is not null && Type == ColumnType.Timestamp, "timestamp")[row], TimeSpan.Zero);

    /// <summary>Text of a String or Categorical value (empty for null).</summary>
    public string GetString(int row)
    {
        if (Type is not (ColumnType.String or ColumnType.Categorical)) throw WrongType("text");
        if (_nulls[row]) return "";
        return _texts is not null ? new string(_texts.Get(row)) : _categories![_codes![row]];
    }

    /// <summary>Text of a String or Categorical value (empty for null) without allocating; valid as long as the column.</summary>
    public ReadOnlySpan<char> GetStringSpan(int row)
    {
        if (Type is not (ColumnType.String or ColumnType.Categorical)) throw WrongType("text");
        if (_nulls[row]) return [];
        return _texts is not null ? _texts.Get(row) : _categories![_codes![row]];
    }

    /// <summary>The value as text in an invariant form (empty for null), whatever the type.</summary>
    public string GetText(int row)
    {
        if (_nulls[row]) return "";
        return Type switch
        {
            ColumnType.Integer => _int64![row].ToString(CultureInfo.InvariantCulture),
            ColumnType.Decimal => _doubles![row].ToString("R", CultureInfo.InvariantCulture),
            ColumnType.Boolean => _booleans![row] ? "true" : "false",
            ColumnType.Timestamp => GetTimestamp(row).ToString("O", CultureInfo.InvariantCulture),
            _ => GetString(row),
        };
    }

    /// <summary>Dictionary of a Categorical column (code -> text).</summary>
    public IReadOnlyList<string> Categories => Type == ColumnType.Categorical ? _categories! : throw WrongType("categorical");

    public int GetCategoryCode(int row) => Type == ColumnType.Categorical ? _codes![row] : throw WrongType("categorical");

    /// <summary>
    /// The codes of a text column kept as codes into a list of values (a Categorical column, or a String column whose
    /// values repeat): a non-null row's text is <paramref name="values"/>[<paramref name="codes"/>[row]], and a null
    /// row's code means nothing. Work done once per value instead of once per row (counting, looking a text up) then
    /// needs no text of a row. False, with no codes, for every other column.
    /// </summary>
    /// <remarks>The values of a Categorical column need not be distinct; those of a String column are.</remarks>
    public bool TryGetCodes(out ReadOnlyMemory<int> codes, out IReadOnlyList<string> values)
    {
        if (_codes is null || _categories is null)
        {
            (codes, values) = (default, []);
            return false;
        }
        (codes, values) = (_codes, _categories);
        return true;
    }

    /// <summary>Raw values for vectorised work: Integer values or Timestamp ticks (null rows hold 0).</summary>
    public ReadOnlySpan<long> Int64Values => _int64 ?? throw WrongType("integer or timestamp");

    /// <summary>Raw Decimal values (null rows hold 0).</summary>
    public ReadOnlySpan<double> DoubleValues => _doubles ?? throw WrongType("decimal");

    public ReadOnlySpan<bool> NullMask => _nulls;

    // The storage as it is, for the columnar spill (Spill/TableSpill), which writes and restores it unchanged.
    internal bool[] Nulls => _nulls;
    internal bool[]? BooleanArray => _booleans;
    internal TextStore? Texts => _texts;
    internal int[]? Codes => _codes;
    internal string[]? CodeValues => _categories;

    public static Column Integers(string name, long[] values, bool[] nulls) => new(name, ColumnType.Integer, Check(nulls, values.Length), int64: values);

    public static Column Decimals(string name, double[] values, bool[] nulls) => new(name, ColumnType.Decimal, Check(nulls, values.Length), doubles: values);

    public static Column Booleans(string name, bool[] values, bool[] nulls) => new(name, ColumnType.Boolean, Check(nulls, values.Length), booleans: values);

    public static Column Timestamps(string name, long[] utcTicks, bool[] nulls) => new(name, ColumnType.Timestamp, Check(nulls, utcTicks.Length), int64: utcTicks);

    public static Column Strings(string name, string?[] values, bool[] nulls) =>
        new(name, ColumnType.String, Check(nulls, values.Length), texts: TextStore.From(values));

    public static Column Categoricals(string name, int[] codes, string[] categories, bool[] nulls) =>
        new(name, ColumnType.Categorical, Check(nulls, codes.Length), codes: codes, categories: categories);

    /// <summary>A String column over texts stored back to back (one per row, empty for null rows).</summary>
    internal static Column FromTextStore(string name, TextStore texts, bool[] nulls) =>
        new(name, ColumnType.String, Check(nulls, texts.Count), texts: texts);

    /// <summary>A String column whose values repeat: row <i>i</i> is <paramref name="values"/>[<paramref name="codes"/>[<i>i</i>]].</summary>
    internal static Column FromCodes(string name, int[] codes, string[] values, bool[] nulls) =>
        new(name, ColumnType.String, Check(nulls, codes.Length), codes: codes, categories: values);

    private static bool[] Check(bool[] nulls, int length) =>
        nulls.Length == length ? nulls : throw new ArgumentException("The null mask and the values differ in length.");

    private T Require<T>(T? storage, string expected) where T : class => storage ?? throw WrongType(expected);

    private long[] Require(bool ok, string expected) => ok ? _int64! : throw WrongType(expected);

    private InvalidOperationException WrongType(string expected) =>
        new($"Column '{Name}' is {Type.ToString().ToLowerInvariant()}, not {expected}.");
}
