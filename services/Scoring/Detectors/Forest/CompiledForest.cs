using System.Runtime.CompilerServices;

namespace Vigil.Scoring.Detectors.Forest;

/// <summary>
/// The forest re-laid for scoring. Every tree becomes a complete binary tree of one depth D in heap order (children of
/// k at 2k+1 and 2k+2), 8 bytes per split; a leaf shallower than D is padded with pass-through splits (threshold +inf:
/// every finite value goes left) down to one leaf slot carrying its path length. A row then takes exactly D branch-free
/// steps per tree, and its scores equal a walk of the flat <see cref="IsolationTree"/> arrays exactly. Built only for
/// depths up to <see cref="MaxDepth"/> (2^D slots per tree); deeper forests are scored by walking the trees.
/// </summary>
/// <remarks>
/// Values and thresholds are compared as order-preserving integer keys (see <see cref="Key"/>), which makes a step a
/// subtract and a shift. Rows go through in groups of <see cref="Lanes"/>, their keys interleaved feature by feature,
/// so the group's eight walks share one base address and run as independent chains the core overlaps. Where the machine
/// has AVX-512 and the trees are at most <see cref="WideForestWalk.MaxDepth"/> deep, <see cref="WideForestWalk"/> walks
/// the same splits sixteen rows to a vector instead, with the same sums.
/// </remarks>
internal sealed class CompiledForest
{
    public const int MaxDepth = 12;
    public const int Lanes = 8;

    private readonly long[] _splits;
    private readonly float[] _leaves;
    private readonly int _depth;
    private readonly int _splitsPerTree;
    private readonly int _leavesPerTree;
    private readonly WideForestWalk? _wide;

    private CompiledForest(long[] splits, float[] leaves, int depth, int trees, bool wide)
    {
        _wide = !wide ? null : WideForestWalk.TryCreate([.. splits.Select(split => (int)(split >> 32))], [.. splits.Select(split => (int)(uint)split / Lanes)],
            leaves, depth, trees);
        _splits = splits;
        _leaves = leaves;
        _depth = depth;
        _splitsPerTree = (1 << depth) - 1;
        _leavesPerTree = 1 << depth;
        Trees = trees;
    }

    public int Trees { get; }

    /// <summary>Whether rows are walked with AVX-512 (<see cref="WideForestWalk"/>) rather than eight scalar chains.</summary>
    public bool IsWide => _wide is not null;

    /// <param name="trees">The forest's trees.</param>
    /// <param name="wide">False keeps the scalar walk where the wide one would apply (to compare the two).</param>
    public static CompiledForest? TryCompile(IReadOnlyList<IsolationTree> trees, bool wide = true)
    {
        var depth = trees.Max(t => t.Depth);
        if (depth > MaxDepth) return null;

        var splitsPerTree = (1 << depth) - 1;
        var leavesPerTree = 1 << depth;
        var splits = new long[trees.Count * splitsPerTree];
        var leaves = new float[trees.Count * leavesPerTree];
        for (var t = 0; t < trees.Count; t++)
        {
            Place(trees[t], 0, 0, 0, depth,
                splits.AsSpan(t * splitsPerTree, splitsPerTree), leaves.AsSpan(t * leavesPerTree, leavesPerTree));
        }
        return new CompiledForest(splits, leaves, depth, trees.Count, wide);
    }

    /// <summary>Integers needed by <see cref="AddPathLengths"/> to hold the keys of <paramref name="rows"/> rows.</summary>
    public static int KeyBufferLength(int rows, int columns) =>
        Math.Max((rows + Lanes - 1) / Lanes * Lanes * columns, WideForestWalk.KeyBufferLength(columns));

    /// <summary>
    /// Adds each row's summed path length over all trees to <paramref name="sums"/> (one per row of
    /// <paramref name="rows"/>, row-major). Trees are the outer loop, so one tree (a few KiB) stays in L1 for the block.
    /// </summary>
    public void AddPathLengths(ReadOnlySpan<float> rows, int columns, Span<double> sums, Span<int> keys)
    {
        if (_wide is not null)
        {
            for (var first = 0; first < sums.Length; first += WideForestWalk.RowsPerCall)
            {
                var part = sums.Slice(first, Math.Min(WideForestWalk.RowsPerCall, sums.Length - first));
                _wide.AddPathLengths(rows.Slice(first * columns, part.Length * columns), columns, part, keys);
            }
            return;
        }
        var count = sums.Length;
        var groups = (count + Lanes - 1) / Lanes;
        keys = keys[..(groups * Lanes * columns)];
        keys.Clear();
        for (var r = 0; r < count; r++)
        {
            var group = keys.Slice(r / Lanes * Lanes * columns);
            var lane = r % Lanes;
            var row = rows.Slice(r * columns, columns);
            for (var f = 0; f < columns; f++) group[f * Lanes + lane] = Key(row[f]);
        }

        if (_depth == 0)
        {
            // Every tree is a single leaf (the training rows were all identical).
            for (var t = 0; t < Trees; t++)
                for (var r = 0; r < count; r++) sums[r] += _leaves[t];
            return;
        }

        Span<nint> ends = stackalloc nint[Lanes];
        for (var t = 0; t < Trees; t++)
        {
            ref var splits = ref _splits[t * _splitsPerTree];
            var leaves = _leaves.AsSpan(t * _leavesPerTree, _leavesPerTree);
            for (var g = 0; g < groups; g++)
            {
                // Unchecked reads: a walk of D levels stays inside the tree's 2^D - 1 slots, and a group's slice holds
                // Lanes x columns keys with every split's feature below columns (checked when the trees were read).
                ref var x = ref keys[g * Lanes * columns];
                nint k0 = 0, k1 = 0, k2 = 0, k3 = 0, k4 = 0, k5 = 0, k6 = 0, k7 = 0;
                for (var level = 0; level < _depth; level++)
                {
                    k0 = Step(ref splits, k0, ref x, 0);
                    k1 = Step(ref splits, k1, ref x, 1);
                    k2 = Step(ref splits, k2, ref x, 2);
                    k3 = Step(ref splits, k3, ref x, 3);
                    k4 = Step(ref splits, k4, ref x, 4);
                    k5 = Step(ref splits, k5, ref x, 5);
                    k6 = Step(ref splits, k6, ref x, 6);
                    k7 = Step(ref splits, k7, ref x, 7);
                }
                ends[0] = k0;
                ends[1] = k1;
                ends[2] = k2;
                ends[3] = k3;
                ends[4] = k4;
                ends[5] = k5;
                ends[6] = k6;
                ends[7] = k7;
                var first = g * Lanes;
                var lanes = Math.Min(Lanes, count - first);
                for (var lane = 0; lane < lanes; lane++)
                    sums[first + lane] += leaves[(int)ends[lane] - _splitsPerTree];
            }
        }
    }

    /// <summary>
    /// A key per float that orders as the floats do (x &gt;= t exactly when Key(x) &gt;= Key(t), for finite values and
    /// +inf); -0 is folded into +0 first because they compare equal as floats.
    /// </summary>
    internal static int Key(float value)
    {
        var bits = BitConverter.SingleToInt32Bits(value + 0f);
        return bits >= 0 ? bits : bits ^ int.MaxValue;
    }

    /// <summary>
    /// One level down without a branch: to 2k+2 (right) when key &gt;= threshold key, else 2k+1 (left). The split is one
    /// 8-byte load (see <see cref="Pack"/>): a step is two loads and five arithmetic instructions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint Step(ref long splits, nint k, ref int group, int lane)
    {
        var split = Unsafe.Add(ref splits, k);
        var value = Unsafe.Add(ref group, (nint)(uint)split + lane);
        return 2 * k + 2 + (nint)(((long)value - (split >> 32)) >> 63);
    }

    /// <summary>A split as the scorer reads it: the threshold's key in the high half, the feature's offset in an interleaved group (feature x Lanes) in the low half.</summary>
    private static long Pack(int thresholdKey, int offset) => ((long)thresholdKey << 32) | (uint)offset;

    private static void Place(IsolationTree tree, int node, int slot, int level, int depth, Span<long> splits, Span<float> leaves)
    {
        if (level == depth)
        {
            leaves[slot - splits.Length] = tree.LeafPathLength.Span[node];
            return;
        }
        if (tree.IsLeaf(node))
        {
            splits[slot] = Pack(Key(float.PositiveInfinity), 0);
            Place(tree, node, 2 * slot + 1, level + 1, depth, splits, leaves);
            return;
        }
        splits[slot] = Pack(Key(tree.Threshold.Span[node]), tree.FeatureIndex.Span[node] * Lanes);
        Place(tree, tree.Left.Span[node], 2 * slot + 1, level + 1, depth, splits, leaves);
        Place(tree, tree.Right.Span[node], 2 * slot + 2, level + 1, depth, splits, leaves);
    }

}
