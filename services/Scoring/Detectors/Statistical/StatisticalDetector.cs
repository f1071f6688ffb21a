using System.Numerics.Tensors;
using Vigil.Scoring.Features;

namespace Vigil.Scoring.Detectors.Statistical;

/// <summary>
/// Robust z-scores per feature, fitted on normal training features: z = (x - median) / scale, where scale is
/// 1.4826 x MAD (the MAD scaled to a normal distribution's standard deviation). Where the MAD is 0 (more than half the
/// values equal, as in one-hot and indicator features), scale falls back to IQR / 1.349, then to the standard
/// deviation, and for a feature that was constant in training to 1/√n: a value never seen in n rows counts as about
/// √n sigmas away. Contributions are |z| per feature (clipped to <see cref="StatisticalDetectorOptions.MaxZ"/>); the
/// score aggregates them per row, by default as their maximum (see <see cref="StatisticalDetectorOptions.Aggregation"/>).
/// </summary>
public sealed class StatisticalDetector : IScoresOnlyDetector
{
    public const string DetectorName = "statistical";

    private const int FormatVersion = 1;
    private const int ChunkRows = 1024;
    private const double MadToSigma = 1.4826;
    private const double IqrToSigma = 1.349;

    private readonly Document _document;
    private readonly float[] _medians;
    private readonly float[] _inverseScales;
    private readonly Lazy<(float[] Medians, float[] InverseScales)> _tiled;

    private StatisticalDetector(Document document)
    {
        _document = document;
        _medians = [.. document.Medians];
        _inverseScales = [.. document.Scales.Select(s => 1f / s)];
        // Medians and inverse scales repeated for a chunk of rows, so that a chunk is scaled with whole-span kernels.
        _tiled = new(() =>
        {
            var width = _medians.Length;
            var medians = new float[ChunkRows * width];
            var inverse = new float[ChunkRows * width];
            for (var r = 0; r < ChunkRows; r++)
            {
                _medians.CopyTo(medians, r * width);
                _inverseScales.CopyTo(inverse, r * width);
            }
            return (medians, inverse);
        });
    }

    public string Name => DetectorName;

    public StatisticalDetectorOptions Options => _document.Options;

    public IReadOnlyList<string> FeatureNames => _document.FeatureNames;

    /// <summary>Training median of each feature.</summary>
    public IReadOnlyList<float> Medians => _document.Medians;

    /// <summary>The divisor of each feature's z (1.4826 x MAD or its fallback); always positive.</summary>
    public IReadOnlyList<float> Scales => _document.Scales;

    public static StatisticalDetector Fit(FeatureMatrix normal, StatisticalDetectorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(normal);
        options ??= new StatisticalDetectorOptions();
        options.Validate();
        if (normal.Rows == 0) throw new ArgumentException("The statistical detector needs at least one training row.", nameof(normal));

        var width = normal.Columns;
        var rows = normal.Rows;
        if (NotFinite(normal, firstRow: 0) is { } notFinite) throw new ArgumentException(notFinite, nameof(normal));
        // Features as columns first: reading the row-major matrix once beats reading it once per feature.
        var columns = new float[width][];
        for (var f = 0; f < width; f++) columns[f] = GC.AllocateUninitializedArray<float>(rows);
        Parallel.For(0, (rows + ChunkRows - 1) / ChunkRows, chunk =>
        {
            var end = Math.Min(rows, (chunk + 1) * ChunkRows);
            for (var r = chunk * ChunkRows; r < end; r++)
            {
                var row = normal.Row(r);
                for (var f = 0; f < width; f++) columns[f][r] = row[f];
            }
        });

        var medians = new float[width];
        var scales = new float[width];
        FitColumns(columns, rows, first: 0, medians, scales);
        return new StatisticalDetector(new Document(FormatVersion, options, [.. normal.FeatureNames], medians, scales));
    }

    /// <summary>
    /// Fits as <see cref="Fit(FeatureMatrix, StatisticalDetectorOptions?)"/> does on every row of <paramref name="normal"/>,
    /// to the same bits, without its feature matrix: each pass gathers the columns of as many features as
    /// <paramref name="columnBytes"/> holds (at least one), encoding only the source columns they come from.
    /// </summary>
    /// <param name="fitted">
    /// When given, called once per feature (from worker threads, features in any order) with the feature's index, its
    /// column in row order, and its fitted median and scale: a caller that needs more of every row than the fit keeps
    /// (e.g. each row's deviation) takes it here instead of encoding the batch again.
    /// </param>
    public static StatisticalDetector Fit(BatchFeatures normal, long columnBytes, StatisticalDetectorOptions? options = null,
        FittedColumn? fitted = null)
    {
        ArgumentNullException.ThrowIfNull(normal);
        options ??= new StatisticalDetectorOptions();
        options.Validate();
        var rows = normal.Rows;
        if (rows == 0) throw new ArgumentException("The statistical detector needs at least one training row.", nameof(normal));

        var width = normal.FeatureNames.Count;
        var perPass = (int)Math.Clamp(columnBytes / sizeof(float) / rows, 1, Math.Max(1, width));
        var medians = new float[width];
        var scales = new float[width];
        // The first value that is not finite, in row-major order as the whole matrix would be checked: every pass is
        // looked at before failing, as a later feature may have one in an earlier row.
        (int Row, int Feature)? notFinite = null;
        var columns = new float[Math.Min(perPass, width)][];
        for (var c = 0; c < columns.Length; c++) columns[c] = GC.AllocateUninitializedArray<float>(rows);
        for (var from = 0; from < width; from += perPass)
        {
            var pass = columns.AsSpan(0, Math.Min(perPass, width - from)).ToArray();
            normal.Gather(from, pass);
            for (var c = 0; c < pass.Length; c++)
            {
                if (TensorPrimitives.IsFiniteAll<float>(pass[c])) continue;
                var row = 0;
                while (float.IsFinite(pass[c][row])) row++;
                if (notFinite is not { } earlier || row < earlier.Row) notFinite = (row, from + c);
            }
            if (notFinite is null) FitColumns(pass, rows, from, medians, scales, fitted);
        }
        if (notFinite is { } at)
            throw new ArgumentException($"Feature '{normal.FeatureNames[at.Feature]}' is not finite in row {at.Row}; features must be imputed before fitting.", nameof(normal));
        return new StatisticalDetector(new Document(FormatVersion, options, [.. normal.FeatureNames], medians, scales));
    }

    /// <summary>Why the features cannot be fitted (the first that is not finite; rows counted from <paramref name="firstRow"/>), or null.</summary>
    private static string? NotFinite(FeatureMatrix features, int firstRow)
    {
        if (TensorPrimitives.IsFiniteAll<float>(features.Values)) return null;
        var at = 0;
        while (float.IsFinite(features.Values[at])) at++;
        return $"Feature '{features.FeatureNames[at % features.Columns]}' is not finite in row {firstRow + at / features.Columns}; features must be imputed before fitting.";
    }

    /// <summary>
    /// Fits the features <paramref name="first"/> onwards from their columns: reordering them, or, with
    /// <paramref name="fitted"/> to hand them to in row order, a copy of each.
    /// </summary>
    private static void FitColumns(float[][] columns, int rows, int first, float[] medians, float[] scales, FittedColumn? fitted = null)
    {
        Parallel.For(0, columns.Length, () => (Deviations: GC.AllocateUninitializedArray<float>(rows), Copy: fitted is null ? null : GC.AllocateUninitializedArray<float>(rows)), (c, _, scratch) =>
        {
            var values = columns[c];
            if (scratch.Copy is { } copy) values.AsSpan(0, rows).CopyTo(copy);
            var (median, scale) = FitFeature(scratch.Copy ?? values, scratch.Deviations);
            (medians[first + c], scales[first + c]) = (median, scale);
            fitted?.Invoke(first + c, values.AsSpan(0, rows), median, scale);
            return scratch;
        }, _ => { });
    }

    /// <summary>A feature's column (in row order) and its fitted median and scale; see <see cref="Fit(BatchFeatures, long, StatisticalDetectorOptions?, FittedColumn?)"/>.</summary>
    public delegate void FittedColumn(int feature, ReadOnlySpan<float> column, float median, float scale);

    private static (float Median, float Scale) FitFeature(float[] values, float[] deviations)
    {
        var n = values.Length;
        // One-hot and indicator features (most of a batch's encoded features) take only a few values: counted, their
        // order statistics cost one pass instead of three selections, and are the same values.
        var few = FewValues.TryCount(values);
        double median, mad;
        if (few is not null)
        {
            median = few.Median();
            mad = few.AbsoluteDeviations(median).Median();
        }
        else
        {
            median = Quantiles.Median(values.AsSpan());
            for (var i = 0; i < n; i++) deviations[i] = (float)Math.Abs(values[i] - median);
            // Only the median's value is kept from the deviations, not their order: the cheaper selection does.
            mad = Quantiles.Median(deviations.AsSpan());
        }
        var scale = MadToSigma * mad;
        if (!(scale > 0))
        {
            // Needed only where the MAD is 0 (more than half the values equal).
            Span<double> quartiles = stackalloc double[2];
            if (few is not null) (quartiles[0], quartiles[1]) = (few.Quantile(0.25), few.Quantile(0.75));
            else Quantiles.OfUnsorted(values.AsSpan(), [0.25, 0.75], quartiles);
            scale = (quartiles[1] - quartiles[0]) / IqrToSigma;
        }
        if (!(scale > 0)) scale = StandardDeviation(values);
        if (!(scale > 0)) scale = 1 / Math.Sqrt(n);
        var asFloat = (float)scale;
        // A scale that is positive in double but vanishes (or overflows) as a float would give infinite z.
        if (float.IsPositiveInfinity(asFloat)) asFloat = float.MaxValue;
        else if (!(asFloat > 0)) asFloat = 1e-30f;
        return ((float)median, asFloat);
    }

    private static double StandardDeviation(ReadOnlySpan<float> values)
    {
        if (values.Length < 2) return 0;
        double sum = 0;
        foreach (var v in values) sum += v;
        var mean = sum / values.Length;
        double squares = 0;
        foreach (var v in values) squares += (v - mean) * (v - mean);
        return Math.Sqrt(squares / (values.Length - 1));
    }

    /// <summary>Scores rows: <see cref="DetectorScores.Contributions"/> holds |z| per feature, the score their aggregate.</summary>
    public DetectorScores Score(FeatureMatrix features)
    {
        ArgumentNullException.ThrowIfNull(features);
        CheckFeatures(features);
        // Every element is written below.
        var contributions = GC.AllocateUninitializedArray<float>(features.Values.Length);
        return new DetectorScores(ScoreInto(features, contributions), contributions);
    }

    /// <summary>The same scores as <see cref="Score"/> without keeping the contributions (the ensemble explains with another detector).</summary>
    public float[] ScoresOnly(FeatureMatrix features)
    {
        ArgumentNullException.ThrowIfNull(features);
        CheckFeatures(features);
        return ScoreInto(features, contributions: null);
    }

    /// <summary>Scores rows chunk by chunk; |z| lands in <paramref name="contributions"/>, or in a per-worker buffer when null.</summary>
    private float[] ScoreInto(FeatureMatrix features, float[]? contributions)
    {
        var width = features.Columns;
        var rows = features.Rows;
        var scores = GC.AllocateUninitializedArray<float>(rows);
        if (rows == 0 || width == 0) return scores;
        var (tiledMedians, tiledInverse) = _tiled.Value;
        var maxZ = Options.MaxZ;
        var aggregation = Options.Aggregation;
        var chunks = (rows + ChunkRows - 1) / ChunkRows;
        Parallel.For(0, chunks, () => contributions is null ? new float[ChunkRows * width] : null, (chunk, _, scratch) =>
        {
            var start = chunk * ChunkRows;
            var count = Math.Min(ChunkRows, rows - start);
            var length = count * width;
            var x = features.Values.AsSpan(start * width, length);
            var z = scratch is null ? contributions.AsSpan(start * width, length) : scratch.AsSpan(0, length);
            TensorPrimitives.Subtract(x, tiledMedians.AsSpan(0, length), z);
            TensorPrimitives.Multiply(z, tiledInverse.AsSpan(0, length), z);
            TensorPrimitives.Abs(z, z);
            TensorPrimitives.Min(z, maxZ, z);
            for (var r = 0; r < count; r++)
            {
                var row = z.Slice(r * width, width);
                scores[start + r] = aggregation switch
                {
                    ScoreAggregation.Max => TensorPrimitives.Max(row),
                    ScoreAggregation.Mean => TensorPrimitives.Sum(row) / width,
                    _ => TensorPrimitives.Norm(row) / MathF.Sqrt(width),
                };
            }
            return scratch;
        }, _ => { });
        return scores;
    }

    private void CheckFeatures(FeatureMatrix features) => FeatureMatrix.RequireFitted(features, _document.FeatureNames, "statistical detector");

    public string ToJson() => ModelJson.Write(_document);

    public static StatisticalDetector FromJson(string json)
    {
        var document = ModelJson.Read<Document>(json, "statistical detector", FormatVersion, d => d.Version);
        var width = document.FeatureNames.Count;
        if (document.Medians.Count != width || document.Scales.Count != width)
            throw new InvalidDataException($"The stored statistical detector has {width} features but {document.Medians.Count} medians and {document.Scales.Count} scales.");
        if (document.Scales.Any(s => !(s > 0) || !float.IsFinite(s)) || document.Medians.Any(m => !float.IsFinite(m)))
            throw new InvalidDataException("The stored statistical detector has a non-finite median or a scale that is not positive.");
        try
        {
            document.Options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The stored statistical detector's options are invalid: {e.Message}", e);
        }
        return new StatisticalDetector(document);
    }

    private sealed record Document(
        int Version,
        StatisticalDetectorOptions Options,
        IReadOnlyList<string> FeatureNames,
        IReadOnlyList<float> Medians,
        IReadOnlyList<float> Scales);
}
