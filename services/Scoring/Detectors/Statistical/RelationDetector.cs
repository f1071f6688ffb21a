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

    /// <summary>
    /// A target is predicted in log space where its residual scale there, relative to the spread of its logarithm, is
    /// below this share of its value-space one: clearly better, so that exact linear relations stay in value space.
    /// </summary>
    public const double LogSpaceAdvantage = 0.5;

    private const int FormatVersion = 3;
    private const int SampleRows = 50_000;
    private const float MaxZ = 1e6f;

    private readonly Document _document;
    private readonly RelationSpace _space;
    private readonly Compiled _global;
    private readonly CategoryGroup? _group;
    private readonly Compiled[] _regimes;

    private RelationDetector(Document document)
    {
        _document = document;
        _space = new RelationSpace(document.FeatureNames.Count, document.LogFeatures ?? []);
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

    /// <summary>The features the relations see: the pipeline's, then the logarithms of positive quantities where a target is predicted in log space.</summary>
    public RelationSpace Space => _space;

    /// <summary>The predicted features, by index in <see cref="Space"/> (a pipeline feature, or from its width on a logarithm).</summary>
    public IReadOnlyList<int> Targets => _document.Targets;

    /// <summary>Per target: one coefficient per feature of <see cref="Space"/> (0 for those that do not predict it), then the intercept.</summary>
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
    /// own relations (<see cref="RelationConditioning"/>); rarer values keep the global ones. A positive quantity is
    /// predicted in log space where that explains it far better (<see cref="LogSpaceAdvantage"/>): a product of columns.
    /// </summary>
    public static RelationDetector Fit(FeatureMatrix normal, IReadOnlyList<FeatureSource> sources, double ridge = 1e-7)
    {
        ArgumentNullException.ThrowIfNull(normal);
        if (sources.Count != normal.Columns) throw new ArgumentException("One source per feature is needed.", nameof(sources));
        if (normal.Rows < 2) throw new ArgumentException($"The relation detector needs at least 2 training rows; got {normal.Rows}.", nameof(normal));
        var width = normal.Columns;
        var rows = Math.Min(normal.Rows, SampleRows);
        var valueTargets = Enumerable.Range(0, width)
            .Where(f => sources[f] is { Encoding: FeatureEncoding.Numeric, Kind: FeatureKind.Value } && Distinct(normal, f, rows) >= MinimumDistinctValues)
            .ToArray();
        var candidateSpace = RelationSpace.Of(normal, rows, sources);
        var matrix = candidateSpace.Augment(normal, rows);
        var sample = Enumerable.Range(0, rows).ToArray();
        var group = RelationConditioning.Choose(matrix, rows, valueTargets, sources, ridge, candidateSpace);

        int[] candidates = [.. valueTargets, .. valueTargets.Select(candidateSpace.LogOf).Where(l => l >= 0)];
        var (coefficients, scales) = RidgeRelations.Fit(matrix, sample, candidates, ridge, candidateSpace);
        var regimes = group is null ? null : RelationConditioning.FitRegimes(matrix, sample, candidates, group, ridge, candidateSpace);
        var effectiveScales = regimes is null ? scales
            : RidgeRelations.Scales(matrix, sample, candidates, r => RelationConditioning.CoefficientsOf(matrix.Row(r), group!, regimes) ?? coefficients);
        var chosen = ChooseSpaces(matrix, sample, valueTargets, candidates, candidateSpace, effectiveScales);
        var space = chosen.Any(p => candidates[p] >= width) ? candidateSpace : RelationSpace.Values(width);

        float[][] Keep(float[][] all) => [.. chosen.Select(p => space.Logs.Count > 0 ? all[p] : [.. all[p].AsSpan(0, width), all[p][^1]])];
        Condition? condition = group is null ? null : new Condition(group.Column, [.. group.Features],
            [.. regimes!.Select(r => r is null ? null : new Regime([.. Keep(r.Coefficients).Select(c => (IReadOnlyList<float>)c)], [.. chosen.Select(p => r.Scales[p])]))]);
        var version = space.Logs.Count > 0 ? FormatVersion : condition is null ? 1 : 2;
        return new RelationDetector(new Document(version, [.. normal.FeatureNames], [.. chosen.Select(p => candidates[p])],
            [.. Keep(coefficients).Select(c => (IReadOnlyList<float>)c)], [.. chosen.Select(p => scales[p])])
        { Condition = condition, LogFeatures = space.Logs.Count > 0 ? space.Logs : null });
    }

    /// <summary>
    /// The positions among <paramref name="candidates"/> of the fits kept: every value target's, and its logarithm's
    /// where the residual scale relative to the logarithm's own spread is below <see cref="LogSpaceAdvantage"/> of the
    /// value fit's. Both are kept: a value fit that a product defeats still sees a record far outside the usual range.
    /// </summary>
    private static List<int> ChooseSpaces(FeatureMatrix matrix, IReadOnlyList<int> sample, IReadOnlyList<int> valueTargets, IReadOnlyList<int> candidates,
        RelationSpace space, IReadOnlyList<float> scales)
    {
        var chosen = Enumerable.Range(0, valueTargets.Count).ToList();
        for (var t = 0; t < valueTargets.Count; t++)
        {
            var log = IndexOf(candidates, space.LogOf(valueTargets[t]));
            if (log < 0) continue;
            var valueSpread = Spread(matrix, sample, valueTargets[t]);
            var logSpread = Spread(matrix, sample, candidates[log]);
            if (valueSpread > 0 && logSpread > 0 && scales[log] / logSpread < LogSpaceAdvantage * scales[t] / valueSpread) chosen.Add(log);
        }
        return chosen;
    }

    private static int IndexOf(IReadOnlyList<int> list, int value)
    {
        for (var i = 0; i < list.Count; i++)
            if (list[i] == value) return i;
        return -1;
    }

    /// <summary>1.4826 x the median absolute deviation of a feature over the rows (the sigma of a normal).</summary>
    private static double Spread(FeatureMatrix matrix, IReadOnlyList<int> rows, int feature)
    {
        var values = new float[rows.Count];
        for (var i = 0; i < rows.Count; i++) values[i] = matrix[rows[i], feature];
        var median = Quantiles.OfUnsorted(values.AsSpan(), 0.5);
        for (var i = 0; i < values.Length; i++) values[i] = (float)Math.Abs(values[i] - median);
        return 1.4826 * Quantiles.OfUnsorted(values.AsSpan(), 0.5);
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
            var augmented = _space.Logs.Count > 0 ? new float[_space.AugmentedWidth] : null;
            Span<float> z = stackalloc float[targets.Count];
            for (var r = block * 1024; r < end; r++)
            {
                TargetZ(features.Row(r), augmented, z);
                var max = 0f;
                for (var t = 0; t < targets.Count; t++)
                {
                    if (contributions is not null)
                    {
                        ref var contribution = ref contributions[r * width + _space.SourceFeature(targets[t])];
                        contribution = Math.Max(contribution, z[t]); // a quantity predicted in both spaces
                    }
                    if (z[t] > max) max = z[t];
                }
                scores[r] = max;
            }
        });
        return scores;
    }

    /// <summary>Each target's residual |z| in one feature row (<paramref name="augmented"/>: room for the row in <see cref="Space"/>, where it has logarithms).</summary>
    private void TargetZ(ReadOnlySpan<float> row, float[]? augmented, Span<float> z)
    {
        if (augmented is not null)
        {
            _space.Write(row, augmented);
            row = augmented;
        }
        var regime = _group?.SlotOf(row) is int slot && slot >= 0 ? _regimes[slot] : _global;
        var targets = _document.Targets;
        for (var t = 0; t < targets.Count; t++)
            z[t] = Math.Min(MaxZ, Math.Abs(RidgeRelations.Residual(row, regime.Coefficients[t], targets[t])) * regime.InverseScales[t]);
    }

    private void CheckFeatures(FeatureMatrix features) => FeatureMatrix.RequireFitted(features, FeatureNames, "relation detector");

    public string ToJson() => ModelJson.Write(_document);

    public static RelationDetector FromJson(string json)
    {
        // Format 1 (no condition) and format 2 (no logarithms) are subsets of format 3 and read as such.
        var document = ModelJson.Read<Document>(json, "relation detector", FormatVersion,
            d => d is { Version: 1, Condition: null, LogFeatures: null } or { Version: 2, LogFeatures: null } ? FormatVersion : d.Version);
        var features = document.FeatureNames.Count;
        foreach (var log in document.LogFeatures ?? [])
            if ((uint)log.Feature >= (uint)features || !float.IsFinite(log.Zero))
                throw new InvalidDataException($"A logarithm of the stored relation detector needs a feature index below {features} and a finite zero.");
        var width = features + (document.LogFeatures?.Count ?? 0);
        for (var t = 0; t < document.Targets.Count; t++)
            if ((uint)document.Targets[t] >= (uint)width)
                throw new InvalidDataException($"Target {t} of the stored relation detector is not a feature index below {width}.");
        CheckRelations(document.Coefficients, document.ResidualScales, document.Targets.Count, width, "global relations");
        if (document.Condition is { } condition)
        {
            if (condition.Features.Count == 0 || condition.Features.Any(f => (uint)f >= (uint)features)
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
    /// <see cref="Condition"/>, format 3 the <see cref="LogFeatures"/>. All are read.
    /// </summary>
    private sealed record Document(int Version, IReadOnlyList<string> FeatureNames, IReadOnlyList<int> Targets,
        IReadOnlyList<IReadOnlyList<float>> Coefficients, IReadOnlyList<float> ResidualScales)
    {
        public Condition? Condition { get; init; }

        public IReadOnlyList<LogFeature>? LogFeatures { get; init; }
    }

    /// <summary>The conditioning column: its features (one-hot, or one boolean) and per value its relations (null: the global ones).</summary>
    private sealed record Condition(string Column, IReadOnlyList<int> Features, IReadOnlyList<Regime?> Regimes);

    private sealed record Regime(IReadOnlyList<IReadOnlyList<float>> Coefficients, IReadOnlyList<float> ResidualScales);
}
