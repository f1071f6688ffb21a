namespace Vigil.Scoring.Features;

/// <summary>
/// A fitted pipeline tied to one batch (<see cref="FeaturePipeline.Bind"/>): encodes any range of the batch's rows.
/// Every encoder looks at one row at a time, so a range's features are the rows the whole batch's matrix would hold.
/// Thread-safe across calls.
/// </summary>
public sealed class BatchFeatures
{
    /// <summary>Rows encoded at a time on the thread pool.</summary>
    private const int ParallelRows = 4096;

    private readonly BoundEncoder[] _encoders;

    /// <summary>Each encoder's features: the first, and how many.</summary>
    private readonly (int Offset, int Width)[] _written;

    internal BatchFeatures(BoundEncoder[] encoders, (int Offset, int Width)[] written, int rows, IReadOnlyList<string> featureNames)
    {
        (_encoders, _written, Rows, FeatureNames) = (encoders, written, rows, featureNames);
    }

    /// <summary>Rows of the batch.</summary>
    public int Rows { get; }

    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>
    /// The batch in ranges of <paramref name="chunkRows"/> rows, in order, each with its first row; every range is
    /// encoded into the same array (valid until the next one is asked for), and an empty batch is one empty range.
    /// </summary>
    public IEnumerable<(int First, FeatureMatrix Features)> Chunks(int chunkRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkRows, 1);
        return Ranges();

        IEnumerable<(int, FeatureMatrix)> Ranges()
        {
            var reused = Rows > chunkRows ? new float[chunkRows * FeatureNames.Count] : null;
            for (var first = 0; first == 0 || first < Rows; first += chunkRows)
                yield return (first, Encode(first, Math.Min(chunkRows, Rows - first), reused));
        }
    }

    /// <summary>
    /// Features <paramref name="firstFeature"/> onwards of every row, one array per feature: <paramref name="columns"/>[c][row]
    /// is feature <paramref name="firstFeature"/> + c. Only the encoders that write those features run, so a caller that
    /// gathers a batch's features a few at a time encodes each source column about once, not once per pass.
    /// </summary>
    public void Gather(int firstFeature, float[][] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var width = FeatureNames.Count;
        ArgumentOutOfRangeException.ThrowIfNegative(firstFeature);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firstFeature + columns.Length, width);
        if (columns.Any(c => c.Length < Rows)) throw new ArgumentException($"Every column needs room for {Rows} rows.", nameof(columns));
        var end = firstFeature + columns.Length;
        var needed = _encoders.Where((_, i) => _written[i].Offset < end && _written[i].Offset + _written[i].Width > firstFeature).ToArray();
        Parallel.For(0, (Rows + ParallelRows - 1) / ParallelRows, () => new float[ParallelRows * width], (block, _, scratch) =>
        {
            var start = block * ParallelRows;
            var rows = Math.Min(ParallelRows, Rows - start);
            var span = scratch.AsSpan(0, rows * width);
            span.Clear();
            foreach (var encoder in needed) encoder.Encode(start, span, width);
            for (var c = 0; c < columns.Length; c++)
            {
                var column = columns[c].AsSpan(start, rows);
                for (var r = 0; r < rows; r++) column[r] = span[r * width + firstFeature + c];
            }
            return scratch;
        }, _ => { });
    }

    /// <summary>
    /// The features of rows <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/>, written into
    /// <paramref name="reuse"/> when it has exactly their size (a caller going through a batch in equal ranges reuses one
    /// array), else into a new array.
    /// </summary>
    public FeatureMatrix Encode(int first, int count, float[]? reuse = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first + count, Rows);
        var width = FeatureNames.Count;
        if (count == 0) return new FeatureMatrix([], 0, FeatureNames);
        // Each block clears its own rows before encoding (encoders write only non-zero values): zeroing in parallel,
        // while the rows are in cache, instead of the runtime zeroing the whole array on one thread.
        var size = checked(count * width);
        var values = reuse?.Length == size ? reuse : GC.AllocateUninitializedArray<float>(size);
        var blocks = (count + ParallelRows - 1) / ParallelRows;
        if (blocks <= 1) EncodeBlock(0);
        else Parallel.For(0, blocks, EncodeBlock);
        return new FeatureMatrix(values, count, FeatureNames);

        void EncodeBlock(int block)
        {
            var start = block * ParallelRows;
            var rows = Math.Min(ParallelRows, count - start);
            var span = values.AsSpan(start * width, rows * width);
            span.Clear();
            foreach (var encoder in _encoders) encoder.Encode(first + start, span, width);
        }
    }
}
