namespace Vigil.Tabular.Writing;

/// <summary>RFC 4180 quoting of one field for the CSV reports Vigil writes.</summary>
public static class CsvField
{
    public static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : $"\"{value.Replace("\"", "\"\"")}\"";
}
