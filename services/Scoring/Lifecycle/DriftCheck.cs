using System.Globalization;

namespace Vigil.Scoring.Lifecycle;

/// <summary>The features of a batch whose PSI against the active model's training reference is above the threshold.</summary>
public sealed record DriftFinding(IReadOnlyList<KeyValuePair<string, double>> Drifted, double Threshold, int ModelVersion)
{
    public double MaxPsi => Drifted[0].Value;

    /// <summary>Why a retraining was triggered, naming the most drifted features (at most five).</summary>
    public string Reason =>
        string.Create(CultureInfo.InvariantCulture,
            $"feature drift against model v{ModelVersion}'s training reference: PSI {string.Join(", ", Drifted.Take(5).Select(d => $"{d.Key} {d.Value:0.###}"))}"
            + $"{(Drifted.Count > 5 ? $" and {Drifted.Count - 5} more" : "")} above {Threshold:0.###}");
}

public static class DriftCheck
{
    /// <summary>The drifted features, most drifted first, or null when none is above <paramref name="threshold"/> (NaN never counts).</summary>
    public static DriftFinding? Find(IReadOnlyDictionary<string, double> psi, double threshold, int modelVersion)
    {
        var drifted = psi.Where(p => p.Value > threshold).OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).ToList();
        return drifted.Count == 0 ? null : new DriftFinding(drifted, threshold, modelVersion);
    }
}
