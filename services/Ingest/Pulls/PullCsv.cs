namespace Vigil.Ingest.Pulls;

/// <summary>CSV fields as pulls write them (RFC 4180): quoted when they hold a comma, quote or line break; "" for an empty string.</summary>
public static class PullCsv
{
    public static string Field(string value) =>
        value.Length > 0 && value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : value.Length == 0 ? "\"\"" : $"\"{value.Replace("\"", "\"\"")}\"";
}
