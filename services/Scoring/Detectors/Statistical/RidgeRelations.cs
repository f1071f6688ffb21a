using System.Numerics;
using System.Numerics.Tensors;
using Vigil.Scoring.Features;

namespace Vigil.Scoring.Detectors.Statistical;

/// <summary>
/// The arithmetic of the relation detector: ridge regressions of target features on every other feature, fitted on a
/// subset of rows, their residuals and robust residual scales. No state: <see cref="RelationDetector"/> keeps what it fits.
/// </summary>
internal static class RidgeRelations
{
    private const double MadToSigma = 1.4826;

    /// <summary>
    /// Per target: one coefficient per feature of <paramref name="space"/> (0 for those that do not predict it) and the
    /// intercept; and each target's residual scale on the same rows. <paramref name="matrix"/> is in that space.
    /// </summary>
    public static (float[][] Coefficients, float[] Scales) Fit(FeatureMatrix matrix, IReadOnlyList<int> rows, IReadOnlyList<int> targets, double ridge,
        RelationSpace space)
    {
        var width = matrix.Columns;
        var (gram, means) = CentredGram(matrix, rows);
        var coefficients = new float[targets.Count][];
        for (var t = 0; t < targets.Count; t++)
        {
            var beta = SolveRidge(gram, targets[t], ridge * rows.Count, space);
            var intercept = means[targets[t]];
            for (var f = 0; f < width; f++) intercept -= beta[f] * means[f];
            var row = new float[width + 1];
            for (var f = 0; f < width; f++) row[f] = (float)beta[f];
            row[width] = (float)intercept;
            coefficients[t] = row;
        }
        return (coefficients, Scales(matrix, rows, targets, r => coefficients));
    }

    /// <summary>
    /// Each target's residual scale over <paramref name="rows"/>, the coefficients of a row given by
    /// <paramref name="coefficientsOf"/>: 1.4826 x the median |residual| (the sigma of a normal), or where more than half
    /// the residuals are 0, 1.2533 x their mean |residual|; never below 1e-7.
    /// </summary>
    public static float[] Scales(FeatureMatrix matrix, IReadOnlyList<int> rows, IReadOnlyList<int> targets, Func<int, float[][]> coefficientsOf)
    {
        var scales = new float[targets.Count];
        var residuals = new float[rows.Count];
        for (var t = 0; t < targets.Count; t++)
        {
            for (var i = 0; i < rows.Count; i++)
                residuals[i] = Math.Abs(Residual(matrix.Row(rows[i]), coefficientsOf(rows[i])[t], targets[t]));
            var scale = rows.Count == 0 ? 0 : MadToSigma * Quantiles.OfUnsorted(residuals.AsSpan(), 0.5);
            if (!(scale > 0) && rows.Count > 0) scale = TensorPrimitives.Sum<float>(residuals) / rows.Count * 1.2533; // mean |r| of a normal = 0.798 sigma
            if (!(scale > 0)) scale = 1e-6;
            scales[t] = (float)Math.Max(scale, 1e-7);
        }
        return scales;
    }

    /// <summary>value - prediction, where the prediction leaves the target's own value out (its coefficient is 0).</summary>
    /// <remarks>An inlined SIMD dot product: a row is a few dozen features, too short to pay for a library call per target.</remarks>
    public static float Residual(ReadOnlySpan<float> row, float[] coefficients, int target)
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

    /// <summary>The centred Gram matrix of the rows and the feature means (double, so that nearly exact relations survive).</summary>
    private static (double[,] Gram, double[] Means) CentredGram(FeatureMatrix matrix, IReadOnlyList<int> rows)
    {
        var width = matrix.Columns;
        var means = new double[width];
        foreach (var r in rows)
        {
            var row = matrix.Row(r);
            for (var f = 0; f < width; f++) means[f] += row[f];
        }
        for (var f = 0; f < width; f++) means[f] /= Math.Max(1, rows.Count);
        var gram = new double[width, width];
        var centred = new double[width];
        foreach (var r in rows)
        {
            var row = matrix.Row(r);
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
        return (gram, means);
    }

    /// <summary>Ridge coefficients of <paramref name="target"/> on its predictors (0 for every other feature), by Cholesky.</summary>
    private static double[] SolveRidge(double[,] gram, int target, double ridge, RelationSpace space)
    {
        var width = gram.GetLength(0);
        var others = Enumerable.Range(0, width).Where(f => space.Predicts(f, target)).ToArray();
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
}
