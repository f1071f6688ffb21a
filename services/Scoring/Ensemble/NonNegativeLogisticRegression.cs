namespace Vigil.Scoring.Ensemble;

/// <summary>
/// Logistic regression with non-negative coefficients, fitted by Newton's method with a small ridge penalty; the two
/// classes weigh the same in the loss however unbalanced they are. Non-negative because a detector's evidence may only
/// add to the risk: a negative weight would let one detector's certainty excuse a record another flags.
/// </summary>
/// <remarks>
/// Active set: fit the free coefficients, fix the most negative one at 0, refit, until none is negative. The intercept
/// is fitted but not returned (the ensemble normalises the weights; only their ratios rank records).
/// </remarks>
public static class NonNegativeLogisticRegression
{
    private const double Ridge = 1e-3;
    private const int MaxIterations = 50;

    /// <summary>Coefficient per feature column (each ≥ 0); all zero when no column separates the classes.</summary>
    public static double[] Fit(IReadOnlyList<double[]> columns, IReadOnlyList<bool> labels)
    {
        var features = columns.Count;
        var rows = labels.Count;
        if (columns.Any(c => c.Length != rows)) throw new ArgumentException("Every feature column needs one value per label.", nameof(columns));
        var positives = labels.Count(l => l);
        if (positives == 0 || positives == rows) throw new ArgumentException("Both classes are needed to fit a logistic regression.", nameof(labels));
        var positiveWeight = 0.5 / positives;
        var negativeWeight = 0.5 / (rows - positives);

        var active = Enumerable.Range(0, features).ToList();
        var coefficients = new double[features];
        while (active.Count > 0)
        {
            var fitted = FitActive(columns, labels, active, positiveWeight, negativeWeight);
            var worst = -1;
            for (var j = 0; j < active.Count; j++)
                if (fitted[j + 1] < 0 && (worst < 0 || fitted[j + 1] < fitted[worst + 1])) worst = j;
            if (worst < 0)
            {
                Array.Clear(coefficients);
                for (var j = 0; j < active.Count; j++) coefficients[active[j]] = fitted[j + 1];
                return coefficients;
            }
            active.RemoveAt(worst);
        }
        return coefficients;
    }

    /// <summary>Intercept then one coefficient per active column.</summary>
    private static double[] FitActive(IReadOnlyList<double[]> columns, IReadOnlyList<bool> labels, List<int> active, double positiveWeight, double negativeWeight)
    {
        var size = active.Count + 1;
        var beta = new double[size];
        var loss = Loss(columns, labels, active, beta, positiveWeight, negativeWeight);
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            var gradient = new double[size];
            var hessian = new double[size, size];
            var x = new double[size];
            for (var i = 0; i < labels.Count; i++)
            {
                Row(columns, active, i, x);
                var p = Sigmoid(Dot(beta, x));
                var weight = labels[i] ? positiveWeight : negativeWeight;
                var residual = weight * (p - (labels[i] ? 1 : 0));
                var curvature = weight * Math.Max(p * (1 - p), 1e-12);
                for (var a = 0; a < size; a++)
                {
                    gradient[a] += residual * x[a];
                    for (var b = 0; b <= a; b++) hessian[a, b] += curvature * x[a] * x[b];
                }
            }
            for (var a = 1; a < size; a++)
            {
                gradient[a] += Ridge * beta[a];
                hessian[a, a] += Ridge;
            }
            for (var a = 0; a < size; a++)
                for (var b = a + 1; b < size; b++) hessian[a, b] = hessian[b, a];
            var step = Solve(hessian, gradient);

            // Damped Newton: halve the step until the loss does not rise (separable classes make full steps overshoot).
            var scale = 1.0;
            double[] candidate;
            double candidateLoss;
            do
            {
                candidate = [.. beta.Select((b, a) => b - scale * step[a])];
                candidateLoss = Loss(columns, labels, active, candidate, positiveWeight, negativeWeight);
                scale /= 2;
            } while (candidateLoss > loss && scale > 1e-6);
            if (candidateLoss > loss) break;
            var improvement = loss - candidateLoss;
            beta = candidate;
            loss = candidateLoss;
            if (improvement < 1e-10) break;
        }
        return beta;
    }

    private static double Loss(IReadOnlyList<double[]> columns, IReadOnlyList<bool> labels, List<int> active, double[] beta, double positiveWeight, double negativeWeight)
    {
        var x = new double[beta.Length];
        var loss = 0.0;
        for (var i = 0; i < labels.Count; i++)
        {
            Row(columns, active, i, x);
            var z = Dot(beta, x);
            // log(1 + e^-z) for positives, log(1 + e^z) for negatives, written so neither overflows.
            var margin = labels[i] ? z : -z;
            loss += (labels[i] ? positiveWeight : negativeWeight) * (Math.Max(-margin, 0) + Math.Log(1 + Math.Exp(-Math.Abs(margin))));
        }
        for (var a = 1; a < beta.Length; a++) loss += 0.5 * Ridge * beta[a] * beta[a];
        return loss;
    }

    private static void Row(IReadOnlyList<double[]> columns, List<int> active, int row, double[] x)
    {
        x[0] = 1;
        for (var j = 0; j < active.Count; j++) x[j + 1] = columns[active[j]][row];
    }

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    /// <summary>Solves the small symmetric system by Gaussian elimination with partial pivoting.</summary>
    private static double[] Solve(double[,] matrix, double[] vector)
    {
        var n = vector.Length;
        var a = (double[,])matrix.Clone();
        var b = (double[])vector.Clone();
        for (var column = 0; column < n; column++)
        {
            var pivot = column;
            for (var r = column + 1; r < n; r++)
                if (Math.Abs(a[r, column]) > Math.Abs(a[pivot, column])) pivot = r;
            if (Math.Abs(a[pivot, column]) < 1e-15) continue;
            if (pivot != column)
            {
                for (var c = 0; c < n; c++) (a[column, c], a[pivot, c]) = (a[pivot, c], a[column, c]);
                (b[column], b[pivot]) = (b[pivot], b[column]);
            }
            for (var r = column + 1; r < n; r++)
            {
                var factor = a[r, column] / a[column, column];
                for (var c = column; c < n; c++) a[r, c] -= factor * a[column, c];
                b[r] -= factor * b[column];
            }
        }
        var solution = new double[n];
        for (var r = n - 1; r >= 0; r--)
        {
            if (Math.Abs(a[r, r]) < 1e-15) continue;
            var sum = b[r];
            for (var c = r + 1; c < n; c++) sum -= a[r, c] * solution[c];
            solution[r] = sum / a[r, r];
        }
        return solution;
    }
}
