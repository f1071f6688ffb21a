namespace Vigil.Scoring.Evaluation;

/// <summary>
/// The upper tail of a score distribution beyond <see cref="Start"/> as a generalised Pareto distribution
/// (peaks over threshold): P(score &gt; Start + e) = Share x (1 + Shape x e / Scale)^(-1 / Shape), exponential when
/// Shape is 0. It lets calibration tell a score far beyond every held-out normal score from one just beyond them,
/// where an empirical CDF says 1 for both.
/// </summary>
/// <remarks>
/// Fitted by the method of moments on the excesses over Start (mean m, variance v): Shape = (1 - m²/v) / 2,
/// Scale = m (1 + m²/v) / 2. Shape is kept in [0, <see cref="MaxShape"/>]: a negative shape would give the tail an end
/// point (infinite evidence beyond it), and moments do not exist from Shape 1/2 on.
/// </remarks>
public sealed record ParetoTail(float Start, double Share, double Scale, double Shape)
{
    public const double MaxShape = 0.45;

    /// <summary>Share of the scores the tail is fitted on (the top 1%), and the fewest excesses a fit needs.</summary>
    public const double DefaultShare = 0.01;
    public const int MinimumExcesses = 30;

    /// <summary>-ln P(score &gt; x) for x above <see cref="Start"/>: the evidence, in nats, that x is not a normal score.</summary>
    public double Evidence(float score)
    {
        var excess = Math.Max(0, (double)score - Start);
        var survival = Shape == 0 ? excess / Scale : Math.Log(1 + Shape * excess / Scale) / Shape;
        return -Math.Log(Share) + survival;
    }

    /// <summary>
    /// Fits the tail from the quartiles of the excesses instead of their moments, for scores that may hold the very
    /// anomalies being looked for (a batch scored against itself): a few huge excesses would inflate the moments and
    /// so the tail that should expose them. For a generalised Pareto excess q75 / q50 = 2^Shape + 1, so
    /// Shape = log2(q75 / q50 - 1) and Scale = q50 x Shape / (2^Shape - 1) (q50 / ln 2 at Shape 0); null when too few
    /// or degenerate excesses.
    /// </summary>
    public static ParetoTail? FitRobust(ReadOnlySpan<float> sorted, double share = DefaultShare)
    {
        var excesses = Math.Max(MinimumExcesses, (int)Math.Ceiling(share * sorted.Length));
        if (excesses * 5 > sorted.Length) return null;
        var (start, positive) = TopExcesses(sorted, excesses);
        if (positive.Count < MinimumExcesses) return null;
        // Ascending already (sorted is); nearest-rank quartiles.
        var median = positive[(positive.Count - 1) / 2];
        var upper = positive[(3 * positive.Count - 1) / 4];
        if (!(median > 0) || !(upper > median)) return null;
        var shape = Math.Clamp(Math.Log2(upper / median - 1), 0, MaxShape);
        var scale = shape == 0 ? median / Math.Log(2) : median * shape / (Math.Pow(2, shape) - 1);
        return new ParetoTail(start, (double)positive.Count / sorted.Length, scale, shape);
    }

    /// <summary>Fewest scores <see cref="FitRobust"/> fits a tail on (its minimum excesses must be at most a fifth of them).</summary>
    public const int MinimumRobustScores = MinimumExcesses * 5;

    /// <summary>The shape <see cref="FitHeavy"/> assumes: a tail as heavy as a Pareto with index 1 (no mean).</summary>
    public const double HeavyShape = 1.0;

    /// <summary>Fewest excesses <see cref="FitHeavy"/> reads a scale from.</summary>
    public const int MinimumHeavyExcesses = 10;

    /// <summary>
    /// For a sample too small to estimate a tail's shape (fewer than <see cref="MinimumRobustScores"/>): the top fifth
    /// as excesses, their median for the scale, and the shape fixed at <see cref="HeavyShape"/>, heavier than any
    /// ordinary column's tail. Evidence then grows with the log of how far a value lies beyond the top fifth's spread:
    /// a value a hundred spreads out still stands out, while the largest of a heavy-tailed column's few values (money,
    /// distances) does not, which a shape estimated from ten excesses would flag (3-6 % of clean rows in a simulation of
    /// 50- and 120-row batches of log-normal and Pareto columns, against 0.0-0.3 % with the fixed shape). Null when
    /// fewer than <paramref name="minimumExcesses"/> excesses or when they are degenerate.
    /// </summary>
    public static ParetoTail? FitHeavy(ReadOnlySpan<float> sorted, int minimumExcesses = MinimumHeavyExcesses)
    {
        var excesses = sorted.Length / 5;
        if (excesses < minimumExcesses) return null;
        var (start, positive) = TopExcesses(sorted, excesses);
        if (positive.Count < minimumExcesses) return null;
        var median = positive[(positive.Count - 1) / 2];
        if (!(median > 0)) return null;
        // The median of a generalised Pareto excess is Scale x (2^Shape - 1) / Shape.
        var scale = median * HeavyShape / (Math.Pow(2, HeavyShape) - 1);
        return new ParetoTail(start, (double)positive.Count / sorted.Length, scale, HeavyShape);
    }

    /// <summary>
    /// The value just below the top <paramref name="count"/> of <paramref name="sorted"/> (ascending) and their excesses
    /// over it, ascending; values tied with it are left out (they belong below the tail's start).
    /// </summary>
    private static (float Start, List<double> Excesses) TopExcesses(ReadOnlySpan<float> sorted, int count)
    {
        var start = sorted[sorted.Length - count - 1];
        var excesses = new List<double>(count);
        for (var i = sorted.Length - count; i < sorted.Length; i++)
            if (sorted[i] > start) excesses.Add((double)sorted[i] - start);
        return (start, excesses);
    }

    /// <summary>Fits the tail on the top share of <paramref name="sorted"/> (ascending); null when too few or degenerate excesses.</summary>
    public static ParetoTail? Fit(ReadOnlySpan<float> sorted, double share = DefaultShare)
    {
        var excesses = Math.Max(MinimumExcesses, (int)Math.Ceiling(share * sorted.Length));
        if (excesses * 5 > sorted.Length) return null; // the tail would be most of the distribution
        var start = sorted[sorted.Length - excesses - 1];
        double sum = 0, sumOfSquares = 0;
        var count = 0;
        for (var i = sorted.Length - excesses; i < sorted.Length; i++)
        {
            var e = (double)sorted[i] - start;
            if (e <= 0) continue; // ties with the start belong below it
            sum += e;
            sumOfSquares += e * e;
            count++;
        }
        if (count < MinimumExcesses) return null;
        var mean = sum / count;
        var variance = sumOfSquares / count - mean * mean;
        if (!(mean > 0) || !(variance > 0)) return null;
        var ratio = mean * mean / variance;
        var shape = Math.Clamp(0.5 * (1 - ratio), 0, MaxShape);
        // A GPD's mean excess is Scale / (1 - Shape): keep it equal to the observed mean whatever clamping did.
        var scale = mean * (1 - shape);
        return new ParetoTail(start, (double)count / sorted.Length, scale, shape);
    }
}
