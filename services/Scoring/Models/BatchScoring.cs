using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Storage;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Models;

/// <summary>What scoring one validated batch came to: scored, skipped (nothing to score) or failed with the reason.</summary>
public abstract record BatchScoring
{
    /// <summary>The batch has nothing to score; the run completes and its device line says why.</summary>
    public sealed record Skipped(long Rows, string Reason) : BatchScoring;

    /// <summary>The batch cannot be scored (it does not fit the model, say); the run fails with this reason.</summary>
    public sealed record Failed(string Reason) : BatchScoring;

    /// <summary>
    /// Scored by model <paramref name="Version"/> (null: no active model, the fallback scorer), with the stored
    /// anomalies (every record not approved) and the feature drift against the model's training data.
    /// </summary>
    public sealed record Scored(TypedTable Table, EnsembleScores Scores, IReadOnlyList<AnomalyRecord> Anomalies, int? Version, string Device,
        IReadOnlyDictionary<string, double> Drift) : BatchScoring;
}
