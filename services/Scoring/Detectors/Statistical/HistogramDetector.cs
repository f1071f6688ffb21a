using Vigil.Scoring.Features;

namespace Vigil.Scoring.Detectors.Statistical;

/// <summary>
/// How common each of a record's values is in its own column: every feature's fitting range is cut into
/// <see cref="Bins"/> equal-width bins, a value's surprise is ln((n + 1) / (count of its bin + 1)) (ln(n + 1) outside
/// the fitted range), and a record's score is the sum over its features (a histogram-based outlier score, HBOS,
/// Goldstein and Dengel 2012). It complements the statistical detector's robust z: a z measures distance from a
/// column's median, which says nothing where a column is multimodal or sparse (pixel intensities, counts that are
/// mostly 0, codes), while the histogram scores a value in a thinly populated part of the range wherever that part
/// lies; and it sums over features instead of taking the largest, so many columns with a few rare-ish values each
/// count (a rare class), not only the single most extreme value. Ten bins is the method's usual default, not a figure
/// tuned here. Contributions are the per-feature surprises.
/// </summary>
public sealed class HistogramDetector : IScoresOnlyDetector
{
    public const string DetectorName = "histogram";

    /// <summary>Equal-width bins per feature over its fitting range.</summary>
    public const int Bins = 10;

    private const int FormatVersion = 1;
    private const int RowsPerBlock = 1024;

    private readonly Document _document;
    private const int Slots = Bins + 2;

    private readonly float[] _lows;
    private readonly float[] _inverseWidths;

    /// <summary>Per feature, <see cref="Slots"/> surprises: below the range, the bins, above the range (flattened).</summary>
    private readonly float[] _slots;

    private HistogramDetector(Document document)
    {
        _document = document;
        var width = document.FeatureNames.Count;
        _lows = [.. document.Lows];
        _inverseWidths = new float[width];
        _slots = new float[width * Slots];
        for (var f = 0; f < width; f++)
        {
            _inverseWidths[f] = InverseWidth(document.Lows[f], document.Highs[f]);
            var outside = document.Surprise[f][Bins];
            _slots[f * Slots] = outside;
            _slots[f * Slots + Slots - 1] = outside;
            for (var b = 0; b < Bins; b++) _slots[f * Slots + 1 + b] = document.Surprise[f][b];
        }
    }

    public string Name => DetectorName;

    public IReadOnlyList<string> FeatureNames => _document.FeatureNames;

    /// <summary>Fits on normal rows: each feature's range and bin counts.</summary>
    public static HistogramDetector Fit(FeatureMatrix normal)
    {
        ArgumentNullException.ThrowIfNull(normal);
        if (normal.Rows == 0) throw new ArgumentException("The histogram detector needs at least one training row.", nameof(normal));
        var width = normal.Columns;
        var rows = normal.Rows;
        var lows = new float[width];
        var highs = new float[width];
        var surprise = new float[width][];
        Parallel.For(0, width, f =>
        {
            float low = float.MaxValue, high = float.MinValue;
            for (var r = 0; r < rows; r++)
            {
                var v = normal[r, f];
                if (!float.IsFinite(v)) continue;
                low = Math.Min(low, v);
                high = Math.Max(high, v);
            }
            if (low > high) low = high = 0; // no finite value (features are imputed, so not expected)
            var counts = new int[Slots];
            var inverse = InverseWidth(low, high);
            for (var r = 0; r < rows; r++) counts[Slot(normal[r, f], low, inverse)]++;
            var own = new float[Bins + 1];
            for (var b = 0; b < Bins; b++) own[b] = (float)Math.Log((rows + 1.0) / (counts[b + 1] + 1.0));
            own[Bins] = (float)Math.Log(rows + 1.0);
            lows[f] = low;
            highs[f] = high;
            surprise[f] = own;
        });
        return new HistogramDetector(new Document(FormatVersion, [.. normal.FeatureNames], lows, highs, surprise));
    }

    /// <summary>
    /// Bins per unit of the feature: the range is widened by a ten-thousandth (at least 1e-6 of the value) so that its
    /// highest value falls in the last bin, and a constant feature gets one narrow bin (any other value lies outside).
    /// </summary>
    private static float InverseWidth(float low, float high) =>
        (float)(Bins / ((high - (double)low) * (1 + 1e-4) + 1e-6 * Math.Max(1, Math.Abs((double)low))));

    /// <summary>0 below the range, 1..Bins the bins, Bins + 1 above the range; NaN lands in 0 (the conversion saturates).</summary>
    private static int Slot(float value, float low, float inverseWidth) => Math.Clamp((int)((value - low) * inverseWidth + 1f), 0, Slots - 1);

    /// <summary>Scores rows: the sum of the per-feature surprises; <see cref="DetectorScores.Contributions"/> holds each.</summary>
    public DetectorScores Score(FeatureMatrix features)
    {
        CheckFeatures(features);
        var contributions = new float[features.Values.Length];
        return new DetectorScores(ScoreInto(features, contributions), contributions);
    }

    /// <summary>The same scores as <see cref="Score"/> without the contributions.</summary>
    public float[] ScoresOnly(FeatureMatrix features)
    {
        CheckFeatures(features);
        return ScoreInto(features, contributions: null);
    }

    private float[] ScoreInto(FeatureMatrix features, float[]? contributions)
    {
        var width = features.Columns;
        var scores = new float[features.Rows];
        var (lows, inverse, slots) = (_lows, _inverseWidths, _slots);
        Parallel.For(0, (features.Rows + RowsPerBlock - 1) / RowsPerBlock, block =>
        {
            var end = Math.Min(features.Rows, (block + 1) * RowsPerBlock);
            for (var row = block * RowsPerBlock; row < end; row++)
            {
                var values = features.Row(row);
                var sum = 0f;
                for (var f = 0; f < values.Length; f++)
                {
                    var s = slots[f * Slots + Slot(values[f], lows[f], inverse[f])];
                    sum += s;
                    if (contributions is not null) contributions[row * width + f] = s;
                }
                scores[row] = sum;
            }
        });
        return scores;
    }

    private void CheckFeatures(FeatureMatrix features)
    {
        ArgumentNullException.ThrowIfNull(features);
        FeatureMatrix.RequireFitted(features, _document.FeatureNames, "histogram detector");
    }

    public string ToJson() => ModelJson.Write(_document);

    public static HistogramDetector FromJson(string json)
    {
        var document = ModelJson.Read<Document>(json, "histogram detector", FormatVersion, d => d.Version);
        var width = document.FeatureNames.Count;
        if (document.Lows.Count != width || document.Highs.Count != width || document.Surprise.Count != width)
            throw new InvalidDataException($"The stored histogram detector has {width} features but {document.Lows.Count} ranges and {document.Surprise.Count} histograms.");
        for (var f = 0; f < width; f++)
        {
            if (!float.IsFinite(document.Lows[f]) || !float.IsFinite(document.Highs[f]) || document.Highs[f] < document.Lows[f])
                throw new InvalidDataException($"The stored histogram detector's range of feature '{document.FeatureNames[f]}' is not a finite interval.");
            if (document.Surprise[f].Count != Bins + 1 || document.Surprise[f].Any(s => !(s >= 0) || !float.IsFinite(s)))
                throw new InvalidDataException($"The stored histogram detector's histogram of feature '{document.FeatureNames[f]}' needs {Bins + 1} finite surprises, none negative.");
        }
        return new HistogramDetector(document);
    }

    private sealed record Document(int Version, IReadOnlyList<string> FeatureNames, IReadOnlyList<float> Lows, IReadOnlyList<float> Highs,
        IReadOnlyList<IReadOnlyList<float>> Surprise);
}
