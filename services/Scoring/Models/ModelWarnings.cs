using System.Globalization;
using System.Text.Json;

namespace Vigil.Scoring.Models;

/// <summary>
/// What a user should know about a trained model version before promoting it, read from its stored metrics: today,
/// decision thresholds that reached the risk cap of 100 (risk is 0-100, so a threshold of 100 flags only records at the
/// very top of the scale, and mean + k x std above 100 is clamped there silently by the threshold policy).
/// </summary>
public static class ModelWarnings
{
    public const double RiskCap = 100;

    public static IReadOnlyList<string> For(JsonElement metrics)
    {
        if (metrics.ValueKind != JsonValueKind.Object || !metrics.TryGetProperty("thresholds", out var thresholds) || thresholds.ValueKind != JsonValueKind.Object)
            return [];
        var method = thresholds.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        var review = Number(thresholds, "review");
        var block = Number(thresholds, "block");
        var capped = new List<string>();
        if (review >= RiskCap) capped.Add("review");
        if (block >= RiskCap) capped.Add("block");
        if (capped.Count == 0) return [];

        var which = capped.Count == 2 ? "Both the review and block thresholds" : $"The {capped[0]} threshold";
        var why = string.Equals(method, "meanStd", StringComparison.OrdinalIgnoreCase)
            ? "mean + k x std of the held-out normal records' risk came out above 100 and was clamped to 100"
            : "it came out at the top of the 0-100 risk scale";
        var effect = capped.Count == 2
            ? "only records at the maximum risk of 100 will be flagged, so this model will approve nearly every record"
            : $"only records at the maximum risk of 100 will get '{capped[0]}'";
        var fix = string.Equals(method, "meanStd", StringComparison.OrdinalIgnoreCase)
            ? "Train again with smaller reviewK / blockK, or with the percentile method."
            : "Train again with lower percentiles, or on more varied normal records.";
        return [string.Create(CultureInfo.InvariantCulture, $"{which} reached the cap of 100 ({why}): {effect}. {fix}")];
    }

    private static double? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
