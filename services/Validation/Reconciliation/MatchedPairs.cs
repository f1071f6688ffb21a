namespace Vigil.Validation.Reconciliation;

/// <summary>
/// The matched (source row, target row) pairs in the order the value comparison visits them: chunk by chunk of
/// pair identifiers (pair i is the i-th match in source order), and inside a chunk by ascending target row. A
/// chunk then reads the source in a window small enough to stay in cache and the target in ascending order,
/// instead of jumping across the whole target for every value when the sides are ordered differently.
/// </summary>
internal sealed class MatchedPairs
{
    public const int ChunkSize = 32_768;

    private MatchedPairs(int[] sourceRow, int[] targetRow, int[] pair)
    {
        SourceRow = sourceRow;
        TargetRow = targetRow;
        Pair = pair;
    }

    public int[] SourceRow { get; }

    public int[] TargetRow { get; }

    /// <summary>The identifier of each visited pair: its index in source order.</summary>
    public int[] Pair { get; }

    public int Count => Pair.Length;

    public int Chunks => (Count + ChunkSize - 1) / ChunkSize;

    public (int From, int To) Chunk(int chunk) => (chunk * ChunkSize, Math.Min(Count, (chunk + 1) * ChunkSize));

    /// <param name="sourceRows">Source row of each pair, ascending.</param>
    /// <param name="targetRows">Target row of each pair.</param>
    public static MatchedPairs InVisitOrder(int[] sourceRows, int[] targetRows)
    {
        var visitSource = (int[])sourceRows.Clone();
        var visitTarget = (int[])targetRows.Clone();
        var pair = new int[sourceRows.Length];
        for (var i = 0; i < pair.Length; i++) pair[i] = i;
        var pairs = new MatchedPairs(visitSource, visitTarget, pair);
        Parallel.For(0, pairs.Chunks, chunk =>
        {
            var (from, to) = pairs.Chunk(chunk);
            var targets = visitTarget.AsSpan(from, to - from);
            targets.Sort(pair.AsSpan(from, to - from));
            for (var i = from; i < to; i++) visitSource[i] = sourceRows[pair[i]];
        });
        return pairs;
    }
}
