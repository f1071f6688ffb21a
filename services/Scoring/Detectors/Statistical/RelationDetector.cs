using Vigil.Scoring.Detectors.Categorical;
using Vigil.Scoring.Features;

namespace Vigil.Scoring.Detectors.Statistical;

/// <summary>
/// Linear relations between columns: each continuous numeric feature is predicted from all the other features by a
/// ridge regression fitted on normal rows, and a row's score is its largest robust |z| of a prediction residual. Where
/// a column is (nearly) a linear function of others (balance_after = balance_before - amount, a fee that is 2% of the
/// amount, a premium set by policy type), a record that breaks the relation by a little stands out by a lot, although
/// each of its values is ordinary. Contributions are the residual |z| per predicted feature (0 for the others).
/// </summary>
public sealed class RelationDetector : IScoresOnlyDetector
{
    public const string DetectorName = "relations";

    /// <summary>Fewest distinct values in the fitting sample for a feature to be predicted (indicators and codes are not).</summary>
    public const int MinimumDistinctValues = 20;

    private const int FormatVersion = 2;
    private const int SampleRows = 50_000;
    private const float MaxZ = 1e6f;

    private readonly Document _document;
    private readonly Compiled _global;
    private readonly CategoryGroup? _group;
    private readonly Compiled[] _regimes;

    private RelationDetector(Document document)
    {
        _document = document;
        _global = Compiled.Of(document.Coefficients, document.ResidualScales);
        if (document.Condition is { } condition)
        {
            _group = new CategoryGroup(condition.Column, condition.Features);
            _regimes = [.. condition.Regimes.Select(r => r is null ? _global : Compiled.Of(r.Coefficients, r.ResidualScales))];
        }
        else _regimes = [];
    }

    public string Name => DetectorName;

    public IReadOnlyList<string> FeatureNames => _document.FeatureNames;

    /// <summary>The predicted features, by index.</summary>
    public IReadOnlyList<int> Targets => _document.Targets;

    /// <summary>Per target: one coefficient per feature (its own is 0), then the intercept.</summary>
    public IReadOnlyList<IReadOnlyList<float>> Coefficients => _document.Coefficients;

    /// <summary>Per target: the divisor of its residual's z (1.4826 x MAD of training residuals, or a fallback); positive.</summary>
    public IReadOnlyList<float> ResidualScales => _document.ResidualScales;

    /// <summary>The categorical column whose values each have their own relations, or null (one global fit).</summary>
    public string? ConditionedOn => _document.Condition?.Column;

    /// <summary>
    /// Fits on normal rows; <paramref name="sources"/> (one per feature) says which features are numeric values. The
    /// ridge (relative to the sample size) only keeps collinear one-hot groups solvable: a larger one would shrink an
    /// exact relation enough to hide a record that is off by cents. Where one categorical column's values set regimes
    /// of the relations (a credit adds the amount, a debit subtracts it), each of its values with enough rows gets its
    /// own relations (<see cref="RelationConditioning"/>); rarer values keep the global ones.
    /// </summary>
    public static RelationDetector Fit(FeatureMatrix normal, IReadOnlyList<FeatureSource> sources, double ridge = 1e-7)
    {
        ArgumentNullException.ThrowIfNull(normal);
        if (sources.Count != normal.Columns) throw new ArgumentException("One source per feature is needed.", nameof(sources));
        if (normal.Rows < 2) throw new ArgumentException($"The relation detector needs at least 2 training rows; got {normal.Rows}.", nameof(normal));
        var width = normal.Columns;
        var rows = Math.Min(normal.Rows, SampleRows);
        var targets = Enumerable.Range(0, width)
            .Where(f => sources[f] is { Encoding: FeatureEncoding.Numeric, Kind: FeatureKind.Value } && Distinct(normal, f, rows) >= MinimumDistinctValues)
            .ToArray();
        var sample = Enumerable.Range(0, rows).ToArray();
        var (coefficients, scales) = RidgeRelations.Fit(normal, sample, targets, ridge);

        Condition? condition = null;
        var group = RelationConditioning.Choose(normal, rows, targets, sources, ridge);
        if (group is not null)
        {
            var regimes = RelationConditioning.FitRegimes(normal, sample, targets, group, ridge);
            condition = new Condition(group.Column, [.. group.Features],
                [.. regimes.Select(r => r is null ? null : new Regime([.. r.Coefficients.Select(c => (IReadOnlyList<float>)c)], r.Scales))]);
        }
        return new RelationDetector(new Document(condition is null ? 1 : FormatVersion, [.. normal.FeatureNames], targets,
            [.. coefficients.Select(c => (IReadOnlyList<float>)c)], scales)
        { Condition = condition });
    }

    /// <summary>The largest residual |z| per row; contributions hold each predicted feature's residual |z|.</summary>
    public DetectorScores Score(FeatureMatrix features)
    {
        CheckFeatures(features);
        var contributions = new float[features.Values.Length];
        return new DetectorScores(ScoreInto(features, contributions), contributions);
    }

    /// <summary>The same scores as <see cref="Score"/> without keeping the contributions (the ensemble explains with another detector).</summary>
    public float[] ScoresOnly(FeatureMatrix features)
    {
        CheckFeatures(features);
        return ScoreInto(features, contributions: null);
    }

    private float[] ScoreInto(FeatureMatrix features, float[]? contributions)
    {
        var width = features.Columns;
        var scores = new float[features.Rows];
        var targets = _document.Targets;
        Parallel.For(0, (features.Rows + 1023) / 1024, block =>
        {
            var end = Math.Min(features.Rows, (block + 1) * 1024);
            for (var r = block * 1024; r < end; r++)
            {
                var row = features.Row(r);
                var regime = _group?.SlotOf(row) is int slot && slot >= 0 ? _regimes[slot] : _global;
                var max = 0f;
                for (var t = 0; t < targets.Count; t++)
                {
                    var z = Math.Min(MaxZ, Math.Abs(RidgeRelations.Residual(row, regime.Coefficients[t], targets[t])) * regime.InverseScales[t]);
                    if (contributions is not null) contributions[r * width + targets[t]] = z;
                    if (z > max) max = z;
                }
                scores[r] = max;
            }
        });
        return scores;
    }

    private void CheckFeatures(FeatureMatrix features) => FeatureMatrix.RequireFitted(features, FeatureNames, "relation detector");

    public string ToJson() => ModelJson.Write(_document);

    public static RelationDetector FromJson(string json)
    {
        // Format 1 (no condition) is the unconditioned subset of format 2 and reads as such.
        var document = ModelJson.Read<Document>(json, "relation detector", FormatVersion, d => d is { Version: 1, Condition: null } ? FormatVersion : d.Version);
        var width = document.FeatureNames.Count;
        for (var t = 0; t < document.Targets.Count; t++)
            if ((uint)document.Targets[t] >= (uint)width)
                throw new InvalidDataException($"Target {t} of the stored relation detector is not a feature index below {width}.");
        CheckRelations(document.Coefficients, document.ResidualScales, document.Targets.Count, width, "global relations");
        if (document.Condition is { } condition)
        {
            if (condition.Features.Count == 0 || condition.Features.Any(f => (uint)f >= (uint)width)
                || condition.Regimes.Count != new CategoryGroup(condition.Column, condition.Features).Slots)
                throw new InvalidDataException("The stored relation detector's condition needs feature indexes and one regime per value of its column.");
            foreach (var regime in condition.Regimes.OfType<Regime>())
                CheckRelations(regime.Coefficients, regime.ResidualScales, document.Targets.Count, width, $"relations for a value of '{condition.Column}'");
        }
        return new RelationDetector(document);
    }

    private static void CheckRelations(IReadOnlyList<IReadOnlyList<float>> coefficients, IReadOnlyList<float> scales, int targets, int width, string what)
    {
        if (coefficients.Count != targets || scales.Count != targets)
            throw new InvalidDataException($"The stored {what} need one coefficient row and one residual scale per target.");
        for (var t = 0; t < targets; t++)
        {
            if (coefficients[t].Count != width + 1 || coefficients[t].Any(c => !float.IsFinite(c)) || !(scales[t] > 0) || !float.IsFinite(scales[t]))
                throw new InvalidDataException($"Target {t} of the stored {what} is invalid ({width + 1} finite coefficients, positive scale).");
        }
    }

    private static int Distinct(FeatureMatrix matrix, int feature, int rows)
    {
        var seen = new HashSet<float>();
        for (var r = 0; r < rows && seen.Count < MinimumDistinctValues; r++) seen.Add(matrix[r, feature]);
        return seen.Count;
    }

    /// <summary>Coefficients and inverse residual scales per target, as scoring uses them.</summary>
    private sealed record Compiled(float[][] Coefficients, float[] InverseScales)
    {
        public static Compiled Of(IReadOnlyList<IReadOnlyList<float>> coefficients, IReadOnlyList<float> scales) =>
            new([.. coefficients.Select(c => c.ToArray())], [.. scales.Select(s => 1 / s)]);
    }

    /// <summary>
    /// Format 1: global relations only (what every model trained before conditioning has); format 2 adds the
    /// <see cref="Condition"/>. Both are read.
    /// </summary>
    private sealed record Document(int Version, IReadOnlyList<string> FeatureNames, IReadOnlyList<int> Targets,
        IReadOnlyList<IReadOnlyList<float>> Coefficients, IReadOnlyList<float> ResidualScales)
    {
        public Condition? Condition { get; init; }
    }

    /// <summary>The conditioning column: its features (one-hot, or one boolean) and per value its relations (null: the global ones).</summary>
    private sealed record Condition(string Column, IReadOnlyList<int> Features, IReadOnlyList<Regime?> Regimes);

    private sealed record Regime(IReadOnlyList<IReadOnlyList<float>> Coefficients, IReadOnlyList<float> ResidualScales);
}
