using System.Globalization;

namespace Vigil.Dashboard.ViewModels;

/// <summary>How numbers, times and sizes read on every page (invariant culture, short forms).</summary>
public static class Format
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Count(long? value) => value is { } v ? v.ToString("N0", Invariant) : "–";

    public static string Percent(double? rate, int decimals = 2) => rate is { } r ? (r * 100).ToString("F" + decimals, Invariant) + " %" : "–";

    public static string Score(double? score) => score is { } s ? s.ToString("0.0", Invariant) : "–";

    public static string Risk(double risk) => risk.ToString("0.0", Invariant);

    public static string Duration(double? milliseconds) => milliseconds switch
    {
        null => "–",
        < 1_000 => $"{milliseconds.Value.ToString("0", Invariant)} ms",
        < 60_000 => $"{(milliseconds.Value / 1000).ToString("0.0", Invariant)} s",
        _ => $"{(milliseconds.Value / 60_000).ToString("0.0", Invariant)} min",
    };

    public static string Bytes(long? bytes) => bytes switch
    {
        null => "–",
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{(bytes.Value / 1024.0).ToString("0.0", Invariant)} KiB",
        < 1024L * 1024 * 1024 => $"{(bytes.Value / 1048576.0).ToString("0.0", Invariant)} MiB",
        _ => $"{(bytes.Value / 1073741824.0).ToString("0.00", Invariant)} GiB",
    };

    public static string Time(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Invariant) + " UTC" : "–";

    /// <summary>"3 min ago", relative to <paramref name="now"/>.</summary>
    public static string Ago(DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is not { } t) return "never";
        var span = now - t;
        return span.TotalSeconds switch
        {
            < 0 => "just now",
            < 60 => $"{(int)span.TotalSeconds} s ago",
            < 3600 => $"{(int)span.TotalMinutes} min ago",
            < 86400 => $"{(int)span.TotalHours} h ago",
            _ => $"{(int)span.TotalDays} d ago",
        };
    }

    public static string Keys(IReadOnlyDictionary<string, string?> keys) => string.Join(", ", keys.Select(k => $"{k.Key}={k.Value ?? "null"}"));
}
