using Vigil.Scoring.Features;

namespace Vigil.Scoring.Evaluation;

/// <summary>
/// The distribution of a detector's scores on held-out normal rows, for calibration: <see cref="Cdf"/> says which
/// share of normal rows scored at or below a score, so scores of different detectors become comparable in [0, 1].
/// </summary>
/// <remarks>
/// Stored as knots (score, share of fitted scores ≤ score): every distinct fitted score while there are at most
/// <c>maxKnots</c> of them, else scores at evenly spaced ranks (the smallest and largest included) with their exact
/// shares. Between knots the CDF is linear, so it keeps rising through the gaps and ranks scores there too; below the
/// smallest knot it is 0, at and above the largest 1. When there are enough scores, the top 1% is also fitted with a
/// <see cref="ParetoTail"/>, so that <see cref="Evidence"/> keeps growing beyond the largest fitted score; from 25 to
/// 149 scores the top fifth, with a heavy shape assumed (<see cref="ParetoTail.FitHeavy"/>).
/// </remarks>
public sealed class EmpiricalCdf
{
    public const int DefaultMaxKnots = 1024;

    private const int FormatVersion = 1;

    /// <summary>
    /// Fewest excesses a heavy tail of a small calibration sample is read from: fewer than a batch's own tail needs
    /// (<see cref="ParetoTail.MinimumHeavyExcesses"/>), as its shape is fixed and only its scale is read (half or twice
    /// the scale moves evidence by 0.7 nats), and a detector of exact relations scores most held-out records 0.
    /// </summary>
    private const int SmallSampleExcesses = 5;

    /// <summary>Relative difference below which a score equals the largest held-out score (float rounding, not evidence).</summary>
    private const float TieTolerance = 1e-4f;

    private readonly Document _document;
    private readonly float[] _knots;
    private readonly double[] _shares;

    /// <summary>
    /// Buckets of equal score width over the knots' range: <c>_bucketFirst[k]</c> is the first knot above bucket k's lower
    /// edge, so a lookup searches only the few knots near a score (scoring looks up every record once per detector).
    /// </summary>
    private const int Buckets = 4096;

    private readonly int[] _bucketFirst;
    private readonly double _bucketScale;

    private EmpiricalCdf(Document document)
    {
        _document = document;
        _knots = [.. document.Knots];
        _shares = [.. document.Shares];
        _bucketFirst = new int[Buckets + 1];
        var width = ((double)_knots[^1] - _knots[0]) / Buckets;
        _bucketScale = width > 0 ? 1 / width : 0;
        var at = 0;
        for (var k = 0; k <= Buckets; k++)
        {
            var edge = _knots[0] + k * width;
            while (at < _knots.Length && _knots[at] <= edge) at++;
            _bucketFirst[k] = at;
        }
    }

    /// <summary>The first knot above <paramref name="score"/>, for knots[0] ≤ score &lt; knots[^1].</summary>
    private int UpperKnot(float score)
    {
        // The bucket index may be off by one through rounding, so search from the bucket before to the one after.
        var bucket = (int)Math.Clamp(((double)score - _knots[0]) * _bucketScale, 0, Buckets - 1);
        var low = _bucketFirst[Math.Max(bucket - 1, 0)];
        var high = Math.Min(_bucketFirst[Math.Min(bucket + 2, Buckets)], _knots.Length - 1);
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_knots[middle] > score) high = middle;
            else low = middle + 1;
        }
        return low;
    }

    /// <summary>How many scores it was fitted on.</summary>
    public long Count => _document.Count;

    public IReadOnlyList<float> Knots => _document.Knots;

    /// <summary>For each knot, the share of fitted scores at or below it.</summary>
    public IReadOnlyList<double> Shares => _document.Shares;

    /// <summary>Fitted for a detector with few distinct scores (see <see cref="Fit"/>).</summary>
    public bool Discrete => _document.Discrete == true;

    /// <summary>The fitted upper tail, or null when there were too few scores to fit one.</summary>
    public ParetoTail? Tail => _document.Tail;

    /// <param name="discrete">The detector's scores take few distinct values, so ties with the largest are common (see <see cref="Evidence"/>).</param>
    public static EmpiricalCdf Fit(ReadOnlySpan<float> normalScores, int maxKnots = DefaultMaxKnots, bool discrete = false)
    {
        if (normalScores.IsEmpty) throw new ArgumentException("An empirical CDF needs at least one score.", nameof(normalScores));
        if (maxKnots < 2) throw new ArgumentOutOfRangeException(nameof(maxKnots), maxKnots, "At least 2 knots.");
        var sorted = normalScores.ToArray();
        for (var i = 0; i < sorted.Length; i++)
        {
            if (!float.IsFinite(sorted[i])) throw new ArgumentException($"Score {i} is {sorted[i]}; calibration needs finite scores.", nameof(normalScores));
        }
        Array.Sort(sorted);

        // Distinct scores with the share of scores at or below each.
        var distinct = new List<(float Score, double Share)>();
        for (var i = 0; i < sorted.Length; i++)
        {
            if (i + 1 < sorted.Length && sorted[i + 1] == sorted[i]) continue;
            distinct.Add((sorted[i], (i + 1.0) / sorted.Length));
        }

        IEnumerable<(float Score, double Share)> knots = distinct;
        if (distinct.Count > maxKnots)
        {
            var picked = new List<(float, double)>(maxKnots);
            var last = -1;
            for (var k = 0; k < maxKnots; k++)
            {
                var at = (int)Math.Round((double)k * (distinct.Count - 1) / (maxKnots - 1));
                if (at == last) continue;
                picked.Add(distinct[at]);
                last = at;
            }
            knots = picked;
        }
        var list = knots.ToList();
        return new EmpiricalCdf(new Document(FormatVersion, sorted.Length, [.. list.Select(k => k.Score)], [.. list.Select(k => k.Share)])
        {
            // Too few scores to estimate a tail's shape: assume a heavy one, so that a score far beyond every held-out
            // one still tells more than one just beyond them (a model trained on a first batch of a hundred rows).
            Tail = ParetoTail.Fit(sorted) ?? (sorted.Length < ParetoTail.MinimumRobustScores ? ParetoTail.FitHeavy(sorted, SmallSampleExcesses) : null),
            Discrete = discrete ? true : null,
        });
    }

    /// <summary>The share of normal scores at or below <paramref name="score"/> (interpolated between knots), in [0, 1].</summary>
    public double Cdf(float score)
    {
        if (float.IsNaN(score)) throw new ArgumentException("A NaN score has no place in a distribution.", nameof(score));
        var knots = _knots;
        if (score < knots[0]) return 0;
        if (score >= knots[^1]) return 1;
        var upper = UpperKnot(score); // 1 <= upper <= last
        var lower = upper - 1;
        if (knots[lower] == score) return _shares[lower];
        var t = ((double)score - knots[lower]) / ((double)knots[upper] - knots[lower]);
        return _shares[lower] + t * (_shares[upper] - _shares[lower]);
    }

    /// <summary>
    /// -ln P(normal score &gt; <paramref name="score"/>), in nats: 0 for the lowest scores, growing without bound through
    /// the fitted tail. Without a tail, scores at or above the largest fitted one get -ln(1 / (Count + 1)), the most
    /// that Count scores can tell.
    /// </summary>
    public double Evidence(float score)
    {
        var tail = _document.Tail;
        if (tail is not null && score > tail.Start) return tail.Evidence(score);
        var survival = _document.Discrete == true ? AtLeast(score) : 1 - Cdf(score);
        survival = Math.Max(survival, 1.0 / (_document.Count + 1));
        var evidence = -Math.Log(survival);
        // The empirical part joins the tail at its start without overshooting it, so evidence never decreases.
        return tail is null ? evidence : Math.Min(evidence, -Math.Log(tail.Share));
    }

    /// <summary>
    /// P(normal score &gt;= x) for a detector with few distinct scores (a pair of categories): a score shared by many
    /// normal records is no evidence, however high it is among the distinct values, so ties (to float rounding) count
    /// as at least as high and no interpolation between knots is made.
    /// </summary>
    private double AtLeast(float score)
    {
        var below = (float)(score - TieTolerance * Math.Max(1, Math.Abs(score)));
        var index = Array.BinarySearch(_knots, below);
        var strictlyBelow = index >= 0 ? index + 1 : ~index; // knots <= below
        return strictlyBelow == 0 ? 1 : 1 - _shares[strictlyBelow - 1];
    }

    /// <summary><see cref="Cdf(float)"/> of each score.</summary>
    public void Cdf(ReadOnlySpan<float> scores, Span<double> destination)
    {
        if (destination.Length < scores.Length) throw new ArgumentException("The destination is shorter than the scores.", nameof(destination));
        for (var i = 0; i < scores.Length; i++) destination[i] = Cdf(scores[i]);
    }

    /// <summary>The score whose CDF is <paramref name="share"/> (the inverse of <see cref="Cdf(float)"/>): for thresholds such as "the 99th percentile of normal".</summary>
    public float Quantile(double share)
    {
        if (!(share is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(share), share, "A share in [0, 1].");
        var shares = _shares;
        if (share <= shares[0]) return _knots[0];
        var at = Array.BinarySearch(shares, share);
        if (at >= 0) return _knots[at];
        var upper = ~at;
        if (upper >= shares.Length) return _knots[^1];
        var lower = upper - 1;
        var t = (share - shares[lower]) / (shares[upper] - shares[lower]);
        return (float)(_knots[lower] + t * ((double)_knots[upper] - _knots[lower]));
    }

    public string ToJson() => ModelJson.Write(_document);

    public static EmpiricalCdf FromJson(string json)
    {
        var document = ModelJson.Read<Document>(json, "empirical CDF", FormatVersion, d => d.Version);
        var knots = document.Knots;
        var shares = document.Shares;
        if (knots.Count == 0 || knots.Count != shares.Count || document.Count < 1)
            throw new InvalidDataException("The stored empirical CDF needs at least one knot, one share per knot and a positive count.");
        for (var i = 0; i < knots.Count; i++)
        {
            var increasing = i == 0 || (knots[i] > knots[i - 1] && shares[i] > shares[i - 1]);
            if (!float.IsFinite(knots[i]) || !(shares[i] is > 0 and <= 1) || !increasing)
                throw new InvalidDataException("The stored empirical CDF's knots and shares must be finite and strictly increasing, shares in (0, 1].");
        }
        if (shares[^1] != 1) throw new InvalidDataException("The stored empirical CDF's last share must be 1.");
        if (document.Tail is { } tail && (!float.IsFinite(tail.Start) || !(tail.Share is > 0 and < 1) || !(tail.Scale > 0) || !double.IsFinite(tail.Scale)
            || !(tail.Shape is >= 0 and <= ParetoTail.MaxShape)))
            throw new InvalidDataException("The stored empirical CDF's tail needs a finite start, a share in (0, 1), a positive scale and a shape in [0, 0.45].");
        return new EmpiricalCdf(document);
    }

    private sealed record Document(int Version, long Count, IReadOnlyList<float> Knots, IReadOnlyList<double> Shares)
    {
        /// <summary>Absent in documents written before tails were fitted: those calibrate as a plain empirical CDF.</summary>
        public ParetoTail? Tail { get; init; }

        /// <summary>True for a detector with few distinct scores (ties with the largest held-out score are not beyond it); absent otherwise.</summary>
        public bool? Discrete { get; init; }
    }
}
