using System.Numerics;
using System.Numerics.Tensors;
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

    private const int FormatVersion = 1;
    private const int SampleRows = 50_000;
    private const double MadToSigma = 1.4826;
    private const float MaxZ = 1e6f;

    private readonly Document _document;
    private readonly float[][] _coefficients;

    private RelationDetector(Document document)
    {
        _document = document;
        _coefficients = [.. document.Coefficients.Select(c => c.ToArray())];
    }

    public string Name => DetectorName;

    public IReadOnlyList<string> FeatureNames => _document.FeatureNames;

    /// <summary>The predicted features, by index.</summary>
    public IReadOnlyList<int> Targets => _document.Targets;

    /// <summary>Per target: one coefficient per feature (its own is 0), then the intercept.</summary>
    public IReadOnlyList<IReadOnlyList<float>> Coefficients => _document.Coefficients;

    /// <summary>Per target: the divisor of its residual's z (1.4826 x MAD of training residuals, or a fallback); positive.</summary>
    public IReadOnlyList<float> ResidualScales => _document.ResidualScales;

    /// <summary>
    /// Fits on normal rows; <paramref name="sources"/> (one per feature) says which features are numeric values. The
    /// ridge (relative to the sample size) only keeps collinear one-hot groups solvable: a larger one would shrink an
    /// exact relation enough to hide a record that is off by cents.
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

        // Centred Gram matrix of the sample (double, so that nearly exact relations survive).
        var means = new double[width];
        for (var r = 0; r < rows; r++)
        {
            var row = normal.Row(r);
            for (var f = 0; f < width; f++) means[f] += row[f];
        }
        for (var f = 0; f < width; f++) means[f] /= rows;
        var gram = new double[width, width];
        var centred = new double[width];
        for (var r = 0; r < rows; r++)
        {
            var row = normal.Row(r);
            for (var f = 0; f < width; f++) centred[f] = row[f] - means[f];
            for (var a = 0; a < width; a++)
            {
                var ca = centred[a];
                if (ca == 0) continue;
                for (var b = 0; b <= a; b++) gram[a, b] += ca * centred[b];
            }
        }
        for (var a = 0; a < width; a++)
            for (var b = 0; b < a; b++) gram[b, a] = gram[a, b];

        var coefficients = new List<float[]>();
        var scales = new List<float>();
        var kept = new List<int>();
        var residuals = new float[rows];
        foreach (var target in targets)
        {
            var beta = SolveRidge(gram, target, ridge * rows);
            var intercept = means[target];
            for (var f = 0; f < width; f++) intercept -= beta[f] * means[f];
            var row = new float[width + 1];
            for (var f = 0; f < width; f++) row[f] = (float)beta[f];
            row[width] = (float)intercept;
            for (var r = 0; r < rows; r++) residuals[r] = Residual(normal.Row(r), row, target);
            for (var r = 0; r < rows; r++) residuals[r] = Math.Abs(residuals[r]);
            var scale = MadToSigma * Quantiles.OfUnsorted(residuals.AsSpan(0, rows), 0.5);
            if (!(scale > 0)) scale = TensorPrimitives.Sum<float>(residuals.AsSpan(0, rows)) / rows * 1.2533; // mean |r| of a normal = 0.798 sigma
            if (!(scale > 0)) scale = 1e-6;
            coefficients.Add(row);
            scales.Add((float)Math.Max(scale, 1e-7));
            kept.Add(target);
        }
        return new RelationDetector(new Document(FormatVersion, [.. normal.FeatureNames], [.. kept], [.. coefficients.Select(c => (IReadOnlyList<float>)c)], [.. scales]));
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
        var scalesInverse = _document.ResidualScales.Select(s => 1 / s).ToArray();
        Parallel.For(0, (features.Rows + 1023) / 1024, block =>
        {
            var end = Math.Min(features.Rows, (block + 1) * 1024);
            for (var r = block * 1024; r < end; r++)
            {
                var row = features.Row(r);
                var max = 0f;
                for (var t = 0; t < targets.Count; t++)
                {
                    var z = Math.Min(MaxZ, Math.Abs(Residual(row, _coefficients[t], targets[t])) * scalesInverse[t]);
                    if (contributions is not null) contributions[r * width + targets[t]] = z;
                    if (z > max) max = z;
                }
                scores[r] = max;
            }
        });
        return scores;
    }

    private void CheckFeatures(FeatureMatrix features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Columns != FeatureNames.Count)
            throw new ArgumentException($"The relation detector was fitted on {FeatureNames.Count} features; the matrix has {features.Columns}.", nameof(features));
        for (var f = 0; f < FeatureNames.Count; f++)
            if (!string.Equals(features.FeatureNames[f], FeatureNames[f], StringComparison.Ordinal))
                throw new ArgumentException($"Feature {f} is '{features.FeatureNames[f]}' but the relation detector was fitted with '{FeatureNames[f]}' there.", nameof(features));
    }

    public string ToJson() => ModelJson.Write(_document);

    public static RelationDetector FromJson(string json)
    {
        var document = ModelJson.Read<Document>(json, "relation detector", FormatVersion, d => d.Version);
        var width = document.FeatureNames.Count;
        if (document.Targets.Count != document.Coefficients.Count || document.Targets.Count != document.ResidualScales.Count)
            throw new InvalidDataException("The stored relation detector needs one coefficient row and one residual scale per target.");
        for (var t = 0; t < document.Targets.Count; t++)
        {
            if ((uint)document.Targets[t] >= (uint)width || document.Coefficients[t].Count != width + 1
                || document.Coefficients[t].Any(c => !float.IsFinite(c)) || !(document.ResidualScales[t] > 0) || !float.IsFinite(document.ResidualScales[t]))
                throw new InvalidDataException($"Target {t} of the stored relation detector is invalid (feature index, {width + 1} finite coefficients, positive scale).");
        }
        return new RelationDetector(document);
    }

    /// <summary>value - prediction, where the prediction leaves the target's own value out (its coefficient is 0).</summary>
    /// <remarks>An inlined SIMD dot product: a row is a few dozen features, too short to pay for a library call per target.</remarks>
    private static float Residual(ReadOnlySpan<float> row, float[] coefficients, int target)
    {
        var width = row.Length;
        var sum = Vector<float>.Zero;
        var f = 0;
        for (; f <= width - Vector<float>.Count; f += Vector<float>.Count)
            sum += new Vector<float>(row[f..]) * new Vector<float>(coefficients, f);
        var prediction = Vector.Sum(sum);
        for (; f < width; f++) prediction += row[f] * coefficients[f];
        return row[target] - (prediction + coefficients[width]);
    }

    private static int Distinct(FeatureMatrix matrix, int feature, int rows)
    {
        var seen = new HashSet<float>();
        for (var r = 0; r < rows && seen.Count < MinimumDistinctValues; r++) seen.Add(matrix[r, feature]);
        return seen.Count;
    }

    /// <summary>Ridge coefficients of <paramref name="target"/> on every other feature (its own coefficient 0), by Cholesky.</summary>
    private static double[] SolveRidge(double[,] gram, int target, double ridge)
    {
        var width = gram.GetLength(0);
        var others = Enumerable.Range(0, width).Where(f => f != target).ToArray();
        var n = others.Length;
        var a = new double[n, n];
        var b = new double[n];
        for (var i = 0; i < n; i++)
        {
            b[i] = gram[others[i], target];
            for (var j = 0; j < n; j++) a[i, j] = gram[others[i], others[j]];
            a[i, i] += ridge;
        }
        // Cholesky: a = L L^T (a is symmetric positive definite thanks to the ridge).
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = a[i, j];
                for (var k = 0; k < j; k++) sum -= a[i, k] * a[j, k];
                a[i, j] = i == j ? Math.Sqrt(Math.Max(sum, 1e-300)) : sum / a[j, j];
            }
        }
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            var sum = b[i];
            for (var k = 0; k < i; k++) sum -= a[i, k] * y[k];
            y[i] = sum / a[i, i];
        }
        var x = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var sum = y[i];
            for (var k = i + 1; k < n; k++) sum -= a[k, i] * x[k];
            x[i] = sum / a[i, i];
        }
        var beta = new double[width];
        for (var i = 0; i < n; i++) beta[others[i]] = x[i];
        return beta;
    }

    private sealed record Document(int Version, IReadOnlyList<string> FeatureNames, IReadOnlyList<int> Targets,
        IReadOnlyList<IReadOnlyList<float>> Coefficients, IReadOnlyList<float> ResidualScales);
}
