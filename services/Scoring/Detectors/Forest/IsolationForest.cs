using System.Text.Json;
using Vigil.Scoring.Features;

namespace Vigil.Scoring.Detectors.Forest;

/// <summary>
/// Isolation forest (Liu, Ting and Zhou, 2008): random axis-parallel splits isolate anomalies in fewer steps than normal
/// rows. A row's score is s = 2^(-E[h(x)] / c(ψ)), where h is its path length in a tree (a leaf adds c(its size)), E the
/// mean over the trees and ψ the subsample size: about 1 for anomalies, at most about 0.5 for normal rows.
/// </summary>
/// <remarks>
/// <see cref="Score"/> returns no contributions, to keep scoring a batch cheap; <see cref="Explain"/> returns the scores
/// with contributions: each row's score shared among the features in proportion to the bits of isolation their splits
/// gave it, summed over its paths (a split that sends the row from n training rows to a side of m adds log2(n / m) to its
/// feature). A row's contributions sum to its score; a feature with an extreme value, which cuts a row off from almost
/// all the others in one split, takes most of it.
/// </remarks>
public sealed class IsolationForest : IAnomalyDetector
{
    public const string DetectorName = "isolation_forest";

    private const int RowsPerBlock = 64;
    private const int FormatVersion = 1;
    private const double EulerGamma = 0.57721566490153286061;

    private readonly IsolationTree[] _trees;
    private readonly CompiledForest? _compiled;
    private readonly double _normalizer;

    private IsolationForest(IReadOnlyList<string> featureNames, int subsampleSize, IsolationForestOptions options, IsolationTree[] trees)
    {
        FeatureNames = featureNames;
        SubsampleSize = subsampleSize;
        Options = options;
        _trees = trees;
        _normalizer = AveragePathLength(subsampleSize);
        _compiled = CompiledForest.TryCompile(trees);
    }

    public string Name => DetectorName;

    /// <summary>The features the forest was grown on, in the order <see cref="Score"/> expects them.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Rows each tree was grown from (ψ): the options' subsample size, capped at the training rows.</summary>
    public int SubsampleSize { get; }

    /// <summary>c(ψ), the mean path length the scores are normalised by: s = 2^(-mean path length / Normalizer).</summary>
    public double Normalizer => _normalizer;

    public IsolationForestOptions Options { get; }

    public IReadOnlyList<IsolationTree> Trees => _trees;

    /// <summary>
    /// c(n) = 2H(n-1) - 2(n-1)/n, the mean path length of an unsuccessful search in a binary search tree of n rows:
    /// c(0) = c(1) = 0, c(2) = 1, c(3) = 5/3. H is the exact harmonic number (summed up to 64, then its asymptotic
    /// expansion, accurate to double precision), not the ln(n) + 0.5772 approximation.
    /// </summary>
    public static double AveragePathLength(int n)
    {
        if (n <= 1) return 0;
        var m = n - 1;
        double harmonic;
        if (m <= 64)
        {
            harmonic = 0;
            for (var i = m; i >= 1; i--) harmonic += 1.0 / i;
        }
        else
        {
            var inverse2 = 1.0 / ((double)m * m);
            harmonic = Math.Log(m) + EulerGamma + 0.5 / m - inverse2 / 12 + inverse2 * inverse2 / 120;
        }
        return 2 * harmonic - 2.0 * m / n;
    }

    /// <summary>
    /// Grows <see cref="IsolationForestOptions.Trees"/> trees in parallel from rows taken as normal. Tree t draws from
    /// its own stream of (seed, t), so the same seed grows the same forest whatever the scheduling.
    /// </summary>
    public static IsolationForest Fit(FeatureMatrix normal, IsolationForestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(normal);
        options ??= new IsolationForestOptions();
        options.Validate();
        if (normal.Columns == 0)
            throw new ArgumentException("An isolation forest needs at least one feature column; the training matrix has none.", nameof(normal));
        if (normal.Rows < 2)
            throw new ArgumentException($"An isolation forest needs at least 2 training rows; got {normal.Rows}.", nameof(normal));

        var subsample = Math.Min(options.SubsampleSize, normal.Rows);
        var maxDepth = options.MaxDepth ?? (int)Math.Ceiling(Math.Log2(subsample));
        var trees = new IsolationTree[options.Trees];
        Parallel.For(0, trees.Length, t =>
            trees[t] = IsolationTreeBuilder.Grow(normal, subsample, maxDepth, SplitMix64.ForStream(options.Seed, t)));
        return new IsolationForest([.. normal.FeatureNames], subsample, options, trees);
    }

    /// <summary>Scores rows in parallel blocks (higher = more anomalous); <see cref="DetectorScores.Contributions"/> is null (see <see cref="Explain"/>).</summary>
    public DetectorScores Score(FeatureMatrix features)
    {
        CheckFeatures(features);
        var scores = new float[features.Rows];
        var blocks = (features.Rows + RowsPerBlock - 1) / RowsPerBlock;
        var columns = features.Columns;
        Parallel.For(0, blocks, () => new BlockScratch(columns), (block, _, scratch) =>
        {
            var first = block * RowsPerBlock;
            var count = Math.Min(RowsPerBlock, features.Rows - first);
            var sums = scratch.Sums.AsSpan(0, count);
            sums.Clear();
            var rows = features.Values.AsSpan(first * columns, count * columns);
            if (_compiled is not null)
                _compiled.AddPathLengths(rows, columns, sums, scratch.Keys);
            else
                AddPathLengthsByWalking(rows, columns, sums);
            for (var r = 0; r < count; r++)
                scores[first + r] = ToScore(sums[r]);
            return scratch;
        }, _ => { });
        return new DetectorScores(scores, null);
    }

    /// <summary>
    /// Scores (the same as <see cref="Score"/>) with contributions, rows x features: each row's score shared among the
    /// features by the bits of isolation their splits gave it. Walks every path node by node, several times slower than
    /// <see cref="Score"/>: meant for the rows being reported.
    /// </summary>
    public DetectorScores Explain(FeatureMatrix features)
    {
        CheckFeatures(features);
        var columns = features.Columns;
        var scores = Score(features).Scores;
        var contributions = new float[features.Rows * columns];
        Parallel.For(0, features.Rows, () => new double[columns], (row, _, bits) =>
        {
            Array.Clear(bits);
            var values = features.Row(row);
            foreach (var tree in _trees)
            {
                var feature = tree.FeatureIndex.Span;
                var threshold = tree.Threshold.Span;
                var left = tree.Left.Span;
                var right = tree.Right.Span;
                var isolation = tree.IsolationBits;
                var n = 0;
                while (feature[n] != IsolationTree.NoNode)
                {
                    var f = feature[n];
                    n = values[f] < threshold[n] ? left[n] : right[n];
                    bits[f] += isolation[n];
                }
            }
            var total = 0.0;
            foreach (var b in bits) total += b;
            if (total > 0)
            {
                var target = contributions.AsSpan(row * columns, columns);
                for (var f = 0; f < columns; f++) target[f] = (float)(scores[row] * bits[f] / total);
            }
            return bits;
        }, _ => { });
        return new DetectorScores(scores, contributions);
    }

    public string ToJson() => JsonSerializer.Serialize(new IsolationForestDocument
    {
        Detector = DetectorName,
        Version = FormatVersion,
        FeatureNames = [.. FeatureNames],
        SubsampleSize = SubsampleSize,
        Options = Options,
        Trees = [.. _trees.Select(t => new IsolationTreeDocument
        {
            FeatureIndex = t.FeatureIndex.ToArray(),
            Threshold = t.Threshold.ToArray(),
            Left = t.Left.ToArray(),
            Right = t.Right.ToArray(),
            LeafPathLength = t.LeafPathLength.ToArray(),
            NodeSize = t.NodeSize.ToArray(),
        })],
    }, JsonOptions);

    /// <summary>Reads what <see cref="ToJson"/> wrote: the same trees, so the same scores bit for bit. Checks that the arrays form trees.</summary>
    public static IsolationForest FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        IsolationForestDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<IsolationForestDocument>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Not an isolation forest document: {e.Message}", nameof(json), e);
        }
        if (document is null || document.Detector != DetectorName)
            throw new ArgumentException($"Not an isolation forest document (detector '{document?.Detector}').", nameof(json));
        if (document.Version != FormatVersion)
            throw new ArgumentException($"Isolation forest document version {document.Version} is not supported (expected {FormatVersion}).", nameof(json));
        if (document.FeatureNames is not { Length: > 0 } names)
            throw new ArgumentException("The isolation forest document has no feature names.", nameof(json));
        if (document.Trees is not { Length: > 0 } trees)
            throw new ArgumentException("The isolation forest document has no trees.", nameof(json));
        if (document.SubsampleSize < 2)
            throw new ArgumentException($"The isolation forest document has subsample size {document.SubsampleSize}; it must be at least 2.", nameof(json));

        var parsed = new IsolationTree[trees.Length];
        for (var t = 0; t < trees.Length; t++)
        {
            var tree = trees[t];
            try
            {
                parsed[t] = new IsolationTree(tree.FeatureIndex ?? [], tree.Threshold ?? [], tree.Left ?? [], tree.Right ?? [],
                    tree.LeafPathLength ?? [], tree.NodeSize ?? [], names.Length);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Tree {t} of the isolation forest document is invalid: {e.Message}", nameof(json), e);
            }
        }
        return new IsolationForest(names, document.SubsampleSize, document.Options ?? new IsolationForestOptions(), parsed);
    }

    private float ToScore(double pathLengthSum) => (float)Math.Pow(2, -(pathLengthSum / _trees.Length) / _normalizer);

    private void AddPathLengthsByWalking(ReadOnlySpan<float> rows, int columns, Span<double> sums)
    {
        foreach (var tree in _trees)
            for (var r = 0; r < sums.Length; r++)
                sums[r] += tree.PathLength(rows.Slice(r * columns, columns));
    }

    private void CheckFeatures(FeatureMatrix features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Columns != FeatureNames.Count)
            throw new ArgumentException(
                $"The isolation forest was grown on {FeatureNames.Count} features; the matrix has {features.Columns}.", nameof(features));
        for (var f = 0; f < FeatureNames.Count; f++)
            if (!string.Equals(features.FeatureNames[f], FeatureNames[f], StringComparison.Ordinal))
                throw new ArgumentException(
                    $"Feature {f} is '{features.FeatureNames[f]}' but the isolation forest was grown with '{FeatureNames[f]}' there.", nameof(features));
    }

    /// <summary>Per-worker buffers for one block of rows, reused across the blocks a worker takes.</summary>
    private sealed class BlockScratch(int columns)
    {
        public double[] Sums { get; } = new double[RowsPerBlock];
        public int[] Keys { get; } = new int[CompiledForest.KeyBufferLength(RowsPerBlock, columns)];
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private sealed class IsolationForestDocument
    {
        public string? Detector { get; init; }
        public int Version { get; init; }
        public string[]? FeatureNames { get; init; }
        public int SubsampleSize { get; init; }
        public IsolationForestOptions? Options { get; init; }
        public IsolationTreeDocument[]? Trees { get; init; }
    }

    private sealed class IsolationTreeDocument
    {
        public int[]? FeatureIndex { get; init; }
        public float[]? Threshold { get; init; }
        public int[]? Left { get; init; }
        public int[]? Right { get; init; }
        public float[]? LeafPathLength { get; init; }
        public int[]? NodeSize { get; init; }
    }
}
