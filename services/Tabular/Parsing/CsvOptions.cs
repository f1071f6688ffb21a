namespace Vigil.Tabular.Parsing;

/// <summary>How a CSV batch is read.</summary>
public sealed record CsvOptions
{
    /// <summary>The field separator. Must not be a double quote, CR or LF.</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>The longest field, in UTF-16 chars after unquoting, before the batch is rejected (1 MiB chars by default).</summary>
    public int MaxFieldLength { get; init; } = 1 << 20;
}
