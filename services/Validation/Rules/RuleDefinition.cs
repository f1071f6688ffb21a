using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Vigil.Validation.Rules;

/// <summary>
/// One data-quality rule declared for a dataset. In JSON a rule is an object with a snake_case <c>kind</c>
/// (<c>not_null</c>, <c>unique</c>, <c>range</c>, ...) and camelCase fields; see <see cref="RuleSet.Parse(string)"/>.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(NotNullRule), "not_null")]
[JsonDerivedType(typeof(UniqueRule), "unique")]
[JsonDerivedType(typeof(RangeRule), "range")]
[JsonDerivedType(typeof(PatternRule), "pattern")]
[JsonDerivedType(typeof(AllowedValuesRule), "allowed_values")]
[JsonDerivedType(typeof(MaxLengthRule), "max_length")]
[JsonDerivedType(typeof(TypeRule), "type")]
[JsonDerivedType(typeof(FreshnessRule), "freshness")]
[JsonDerivedType(typeof(RowCountRule), "row_count")]
[JsonDerivedType(typeof(ExpressionRule), "expression")]
public abstract record RuleDefinition
{
    private readonly string? _name;

    /// <summary>The rule's name in reports; <c>kind:column</c> when none is given.</summary>
    [JsonPropertyOrder(-1)]
    public string Name { get => _name ?? DefaultName; init => _name = value; }

    [JsonPropertyOrder(100)]
    public RuleSeverity Severity { get; init; } = RuleSeverity.Error;

    private static readonly Dictionary<Type, RuleKind> Kinds = typeof(RuleDefinition).GetCustomAttributes<JsonDerivedTypeAttribute>()
        .ToDictionary(a => a.DerivedType, a => Enum.GetValues<RuleKind>().Single(kind => RuleNames.Of(kind) == (string)a.TypeDiscriminator!));

    /// <summary>The rule's kind (written to JSON as the <c>kind</c> discriminator).</summary>
    [JsonIgnore]
    public RuleKind Kind => Kinds[GetType()];

    /// <summary>The batch columns the rule reads (for an expression: the identifiers in it).</summary>
    [JsonIgnore]
    public IReadOnlyList<string> ReferencedColumns => ListColumns();

    protected abstract IReadOnlyList<string> ListColumns();

    protected abstract string DefaultName { get; }

    /// <summary>Adds what is wrong with the definition itself (independent of any batch) to <paramref name="problems"/>.</summary>
    internal virtual void Check(List<string> problems)
    {
        if (_name is not null && string.IsNullOrWhiteSpace(_name)) problems.Add("'name' must not be empty");
        if (!Enum.IsDefined(Severity)) problems.Add("'severity' must be error or warning");
    }

    internal static string Number(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}

/// <summary>A rule over one column.</summary>
public abstract record ColumnRule : RuleDefinition
{
    [JsonPropertyOrder(-1)]
    public required string Column { get; init; }

    protected override IReadOnlyList<string> ListColumns() => [Column];

    protected override string DefaultName => $"{RuleNames.Of(Kind)}:{Column}";

    internal override void Check(List<string> problems)
    {
        base.Check(problems);
        if (string.IsNullOrWhiteSpace(Column)) problems.Add("'column' must name a column");
    }
}

/// <summary>Every row has a value in <see cref="ColumnRule.Column"/>.</summary>
public sealed record NotNullRule : ColumnRule
{
}

/// <summary>
/// No two rows share the same values in <see cref="Columns"/>. Every row that repeats an earlier row's values fails;
/// rows with a null in any of the columns are not checked (as in SQL).
/// </summary>
public sealed record UniqueRule : RuleDefinition
{
    public required IReadOnlyList<string> Columns { get; init; }


    protected override IReadOnlyList<string> ListColumns() => Columns ?? [];

    protected override string DefaultName => $"unique:{string.Join(',', Columns ?? [])}";

    internal override void Check(List<string> problems)
    {
        base.Check(problems);
        if (Columns is null || Columns.Count == 0) problems.Add("'columns' must list at least one column");
        else if (Columns.Any(string.IsNullOrWhiteSpace)) problems.Add("'columns' must not contain an empty name");
        else if (Columns.Distinct(StringComparer.Ordinal).Count() != Columns.Count) problems.Add("'columns' names a column twice");
    }
}

/// <summary>
/// Numeric values lie within [<see cref="Min"/>, <see cref="Max"/>] (open interval when <see cref="Exclusive"/>).
/// Nulls are not checked; a value that is not a number fails.
/// </summary>
public sealed record RangeRule : ColumnRule
{
    public double? Min { get; init; }
    public double? Max { get; init; }
    public bool Exclusive { get; init; }


    internal string Interval =>
        $"{(Exclusive ? '(' : '[')}{(Min is { } min ? Number(min) : "-inf")}, {(Max is { } max ? Number(max) : "inf")}{(Exclusive ? ')' : ']')}";

    internal override void Check(List<string> problems)
    {
        base.Check(problems);
        if (Min is null && Max is null) problems.Add("a range needs 'min', 'max' or both");
        if (Min is { } min && !double.IsFinite(min)) problems.Add("'min' must be a finite number");
        if (Max is { } max && !double.IsFinite(max)) problems.Add("'max' must be a finite number");
        if (Min is { } lo && Max is { } hi && (lo > hi || (Exclusive && lo == hi)))
            problems.Add($"the range {Interval} is empty ('min' must be below 'max')");
    }
}

/// <summary>
/// Values match the regular expression <see cref="Regex"/> (a match anywhere in the value, as .NET's IsMatch:
/// anchor with ^...$ to match the whole value). Nulls are not checked.
/// </summary>
public sealed record PatternRule : ColumnRule
{
    public required string Regex { get; init; }


    internal override void Check(List<string> problems)
    {
        base.Check(problems);
        if (string.IsNullOrEmpty(Regex)) problems.Add("'regex' must not be empty");
        else if (!RegexCache.TryGet(Regex, out _, out var error)) problems.Add($"invalid regex '{Regex}': {error}");
    }
}

/// <summary>Values are among <see cref="Values"/> (numbers and booleans compare by value). Nulls are not checked.</summary>
public sealed record AllowedValuesRule : ColumnRule
{
    [JsonConverter(typeof(ScalarTextListConverter))]
    public required IReadOnlyList<string> Values { get; init; }

    /// <summary>Compare text ignoring case (ordinal).</summary>
    public bool IgnoreCase { get; init; }


    internal override void Check(List<string> problems)
    {
        base.Check(problems);
        if (Values is null || Values.Count == 0) problems.Add("'values' must list at least one value");
        else if (Values.Any(v => v is null)) problems.Add("'values' must not contain null (use a not_null rule for that)");
    }
}

/// <summary>Values have at most <see cref="MaxLength"/> characters (Unicode scalar values). Nulls are not checked.</summary>
public sealed record MaxLengthRule : ColumnRule
{
    public required int MaxLength { get; init; }


    internal override void Check(List<string> problems)
    {
        base.Check(problems);
        if (MaxLength < 0) problems.Add("'maxLength' must be zero or more");
    }
}

/// <summary>
/// Every value's text parses as <see cref="Type"/> (the same parsers that infer column types). A column already read
/// as that type passes at once; a text column is checked value by value. Nulls are not checked.
/// </summary>
public sealed record TypeRule : ColumnRule
{
    public required ExpectedType Type { get; init; }


    internal override void Check(List<string> problems)
    {
        base.Check(problems);
        if (!Enum.IsDefined(Type)) problems.Add("'type' must be one of integer, decimal, boolean, timestamp, string");
    }
}

/// <summary>
/// Timestamps lie within the window [end of the execution date (UTC) - <see cref="MaxAgeHours"/>, end of the execution
/// date]: older rows are stale, later rows are in the future. Nulls are not checked; a value that is not a timestamp fails.
/// </summary>
public sealed record FreshnessRule : ColumnRule
{
    public required double MaxAgeHours { get; init; }


    internal override void Check(List<string> problems)
    {
        base.Check(problems);
        if (!double.IsFinite(MaxAgeHours) || MaxAgeHours <= 0 || MaxAgeHours > 24 * 365 * 100)
            problems.Add("'maxAgeHours' must be a positive number of hours");
    }
}

/// <summary>
/// The batch's row count is within [<see cref="Min"/>, <see cref="Max"/>] and, when the previous run's count is known
/// (and not zero), changed by at most <see cref="MaxChangeRatio"/> of it (0.1 = 10 %).
/// </summary>
public sealed record RowCountRule : RuleDefinition
{
    public long? Min { get; init; }
    public long? Max { get; init; }
    public double? MaxChangeRatio { get; init; }


    protected override IReadOnlyList<string> ListColumns() => [];

    protected override string DefaultName => "row_count";

    internal override void Check(List<string> problems)
    {
        base.Check(problems);
        if (Min is null && Max is null && MaxChangeRatio is null) problems.Add("a row_count rule needs 'min', 'max' or 'maxChangeRatio'");
        if (Min < 0) problems.Add("'min' must be zero or more");
        if (Min is { } lo && Max is { } hi && lo > hi) problems.Add($"'min' ({lo}) is greater than 'max' ({hi})");
        if (MaxChangeRatio is { } ratio && (!double.IsFinite(ratio) || ratio < 0)) problems.Add("'maxChangeRatio' must be zero or more (0.1 = 10 %)");
    }
}

/// <summary>
/// A condition over columns that every row must satisfy, e.g. <c>balance_after == balance_before - amount</c>.
/// <c>==</c> and <c>!=</c> compare numbers within <see cref="Tolerance"/>. See <see cref="Expressions.ExpressionParser"/>
/// for the language; a row whose comparison meets a null is not evaluated (neither passing nor failing).
/// </summary>
public sealed record ExpressionRule : RuleDefinition
{
    public required string Expression { get; init; }

    /// <summary>Absolute tolerance of numeric <c>==</c> / <c>!=</c>.</summary>
    public double Tolerance { get; init; }


    protected override IReadOnlyList<string> ListColumns() =>
        Expression is not null && Expressions.ExpressionParser.TryParseCached(Expression, out var parsed, out _) ? parsed.Columns : [];

    protected override string DefaultName => $"expression:{Expression}";

    internal override void Check(List<string> problems)
    {
        base.Check(problems);
        if (!double.IsFinite(Tolerance) || Tolerance < 0) problems.Add("'tolerance' must be zero or more");
        if (string.IsNullOrWhiteSpace(Expression)) problems.Add("'expression' must not be empty");
        else if (!Expressions.ExpressionParser.TryParseCached(Expression, out _, out var error)) problems.Add(error!.Message);
    }
}
