namespace Vigil.Tabular.Writing;

/// <summary>RFC 4180 quoting of one field for the CSV reports Vigil writes.</summary>
public static class CsvField
{
    public static string Quote(string value) => NeedsQuotes(value) ? $"\"{value.Replace("\"", "\"\"")}\"" : value;

    /// <summary>Whether <see cref="Quote"/> would change the value (it holds a comma, a quote or a line break).</summary>
    public static bool NeedsQuotes(ReadOnlySpan<char> value) => value.IndexOfAny(",\"\r\n") >= 0;
}
