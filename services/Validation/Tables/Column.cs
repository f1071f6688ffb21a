using System.Globalization;

namespace Vigil.Validation.Tables;

/// <summary>
/// One typed column of a <see cref="TypedTable"/>: values in a flat array of the column's type, plus a null mask.
/// Accessors of the wrong type throw; <see cref="GetText"/> works for every type.
/// </summary>
public sealed class Column
{
    private readonly bool[] _nulls;
    private readonly long[]? _int64;      // Integer values; Timestamp as UTC ticks
    private readonly double[]? _doubles;  // Decimal values
    private readonly bool[]? _booleans;
    private readonly string?[]? _strings; // String values
    private readonly int[]? _codes;       // Categorical codes into _categories
    private readonly string[]? _categories;

    private Column(string name, ColumnType type, bool[] nulls, long[]? int64 = null, double[]? doubles = null, bool[]? booleans = null,
        string?[]? strings = null, int[]? codes = null, string[]? categories = null)
    {
        Name = name;
        Type = type;
        _nulls = nulls;
        _int64 = int64;
        _doubles = doubles;
        _booleans = booleans;
        _strings = strings;
        _codes = codes;
        _categories = categories;
        NullCount = nulls.Count(n => n);
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

    /// <summary>Text of a String or Categorical value.</summary>
    public string GetString(int row) => Type switch
    {
        ColumnType.String => _strings![row] ?? "",
        ColumnType.Categorical => _categories![_codes![row]],
        _ => throw WrongType("text"),
    };

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
    public IReadOnlyList<string> Categories => _categories ?? throw WrongType("categorical");

    public int GetCategoryCode(int row) => Require(_codes, "categorical")[row];

    /// <summary>Raw values for vectorised work: Integer values or Timestamp ticks (null rows hold 0).</summary>
    public ReadOnlySpan<long> Int64Values => _int64 ?? throw WrongType("integer or timestamp");

    /// <summary>Raw Decimal values (null rows hold 0).</summary>
    public ReadOnlySpan<double> DoubleValues => _doubles ?? throw WrongType("decimal");

    public ReadOnlySpan<bool> NullMask => _nulls;

    public static Column Integers(string name, long[] values, bool[] nulls) => new(name, ColumnType.Integer, Check(nulls, values.Length), int64: values);

    public static Column Decimals(string name, double[] values, bool[] nulls) => new(name, ColumnType.Decimal, Check(nulls, values.Length), doubles: values);

    public static Column Booleans(string name, bool[] values, bool[] nulls) => new(name, ColumnType.Boolean, Check(nulls, values.Length), booleans: values);

    public static Column Timestamps(string name, long[] utcTicks, bool[] nulls) => new(name, ColumnType.Timestamp, Check(nulls, utcTicks.Length), int64: utcTicks);

    public static Column Strings(string name, string?[] values, bool[] nulls) => new(name, ColumnType.String, Check(nulls, values.Length), strings: values);

    public static Column Categoricals(string name, int[] codes, string[] categories, bool[] nulls) =>
        new(name, ColumnType.Categorical, Check(nulls, codes.Length), codes: codes, categories: categories);

    private static bool[] Check(bool[] nulls, int length) =>
        nulls.Length == length ? nulls : throw new ArgumentException("The null mask and the values differ in length.");

    private T Require<T>(T? storage, string expected) where T : class => storage ?? throw WrongType(expected);

    private long[] Require(bool ok, string expected) => ok ? _int64! : throw WrongType(expected);

    private InvalidOperationException WrongType(string expected) =>
        new($"Column '{Name}' is {Type.ToString().ToLowerInvariant()}, not {expected}.");
}
