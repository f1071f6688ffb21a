namespace Vigil.Scoring.Detectors.Forest;

/// <summary>
/// One isolation tree as flat node arrays, the shape of ONNX's TreeEnsembleRegressor: node 0 is the root and a child's
/// index is always greater than its parent's. An internal node sends a row left when
/// <c>row[FeatureIndex[n]] &lt; Threshold[n]</c> (mode BRANCH_LT) and right otherwise. A leaf has
/// <c>FeatureIndex = Left = Right = -1</c>, threshold 0 and <see cref="LeafPathLength"/> = its depth + c(rows that reached it);
/// internal nodes have leaf path length 0. <see cref="NodeSize"/> counts the subsample rows that reached each node
/// (what a leaf's c(size) and the explanations are computed from).
/// </summary>
public sealed class IsolationTree
{
    public const int NoNode = -1;

    private readonly int[] _featureIndex;
    private readonly float[] _threshold;
    private readonly int[] _left;
    private readonly int[] _right;
    private readonly float[] _leafPathLength;
    private readonly int[] _nodeSize;
    private readonly float[] _isolationBits;

    internal IsolationTree(int[] featureIndex, float[] threshold, int[] left, int[] right, float[] leafPathLength, int[] nodeSize, int columns)
    {
        var count = featureIndex.Length;
        if (count == 0)
            throw new ArgumentException("A tree needs at least one node.");
        if (threshold.Length != count || left.Length != count || right.Length != count || leafPathLength.Length != count || nodeSize.Length != count)
            throw new ArgumentException(
                $"The node arrays of a tree must have one length (feature {count}, threshold {threshold.Length}, left {left.Length}, right {right.Length}, leaf {leafPathLength.Length}, size {nodeSize.Length}).");
        if (nodeSize[0] < 1)
            throw new ArgumentException($"The root holds {nodeSize[0]} rows; it must hold at least 1.");

        var parents = new int[count];
        for (var n = 0; n < count; n++)
        {
            if (featureIndex[n] == NoNode)
            {
                if (left[n] != NoNode || right[n] != NoNode)
                    throw new ArgumentException($"Leaf {n} has children.");
                if (!float.IsFinite(leafPathLength[n]) || leafPathLength[n] < 0)
                    throw new ArgumentException($"Leaf {n} has path length {leafPathLength[n]}; it must be finite and not negative.");
                continue;
            }
            if ((uint)featureIndex[n] >= (uint)columns)
                throw new ArgumentException($"Node {n} splits on feature {featureIndex[n]}, outside the {columns} features.");
            if (!float.IsFinite(threshold[n]))
                throw new ArgumentException($"Node {n} has threshold {threshold[n]}; it must be finite.");
            foreach (var child in (ReadOnlySpan<int>)[left[n], right[n]])
            {
                // Children after their parent and each node with one parent: the arrays are a tree, and a walk ends.
                if (child <= n || child >= count)
                    throw new ArgumentException($"Node {n} has child {child}; children must come after their parent and within the {count} nodes.");
                if (parents[child]++ > 0)
                    throw new ArgumentException($"Node {child} has more than one parent.");
            }
        }
        for (var n = 1; n < count; n++)
            if (parents[n] == 0)
                throw new ArgumentException($"Node {n} is not reachable from the root.");
        for (var n = 0; n < count; n++)
            if (featureIndex[n] != NoNode && (nodeSize[left[n]] < 1 || nodeSize[right[n]] < 1 || nodeSize[left[n]] + nodeSize[right[n]] != nodeSize[n]))
                throw new ArgumentException($"Node {n} holds {nodeSize[n]} rows but its children {nodeSize[left[n]]} and {nodeSize[right[n]]}.");

        _featureIndex = featureIndex;
        _threshold = threshold;
        _left = left;
        _right = right;
        _leafPathLength = leafPathLength;
        _nodeSize = nodeSize;
        _isolationBits = new float[count];
        for (var n = 0; n < count; n++)
        {
            if (featureIndex[n] == NoNode) continue;
            _isolationBits[left[n]] = (float)Math.Log2((double)nodeSize[n] / nodeSize[left[n]]);
            _isolationBits[right[n]] = (float)Math.Log2((double)nodeSize[n] / nodeSize[right[n]]);
        }
        Depth = MaxDepth(featureIndex, left, right);
    }

    public int NodeCount => _featureIndex.Length;

    /// <summary>Depth of the deepest leaf (the root is at depth 0).</summary>
    public int Depth { get; }

    /// <summary>Feature each internal node splits on; -1 at leaves.</summary>
    public ReadOnlyMemory<int> FeatureIndex => _featureIndex;

    /// <summary>Split value: rows with <c>feature &lt; threshold</c> go left. 0 at leaves.</summary>
    public ReadOnlyMemory<float> Threshold => _threshold;

    /// <summary>Left child of each internal node; -1 at leaves.</summary>
    public ReadOnlyMemory<int> Left => _left;

    /// <summary>Right child of each internal node; -1 at leaves.</summary>
    public ReadOnlyMemory<int> Right => _right;

    /// <summary>At a leaf: its depth + c(leaf size), the path length a row that ends there is given. 0 at internal nodes.</summary>
    public ReadOnlyMemory<float> LeafPathLength => _leafPathLength;

    /// <summary>Subsample rows that reached each node when the tree was grown (the root holds the whole subsample).</summary>
    public ReadOnlyMemory<int> NodeSize => _nodeSize;

    /// <summary>log2(parent size / node size): how much the split above a node narrows a row down (0 for the root).</summary>
    internal ReadOnlySpan<float> IsolationBits => _isolationBits;

    public bool IsLeaf(int node) => _featureIndex[node] == NoNode;

    /// <summary>The path length h(x) of one row: walks the node arrays (the reference the fast scorer is checked against).</summary>
    public float PathLength(ReadOnlySpan<float> row) => _leafPathLength[LeafOf(row)];

    /// <summary>The leaf that <paramref name="row"/> ends in.</summary>
    public int LeafOf(ReadOnlySpan<float> row)
    {
        var n = 0;
        while (_featureIndex[n] != NoNode)
            n = row[_featureIndex[n]] < _threshold[n] ? _left[n] : _right[n];
        return n;
    }

    private static int MaxDepth(int[] featureIndex, int[] left, int[] right)
    {
        // Children come after parents, so one forward pass sees every parent's depth before its children's.
        var depth = new int[featureIndex.Length];
        var max = 0;
        for (var n = 0; n < featureIndex.Length; n++)
        {
            max = Math.Max(max, depth[n]);
            if (featureIndex[n] == NoNode) continue;
            depth[left[n]] = depth[n] + 1;
            depth[right[n]] = depth[n] + 1;
        }
        return max;
    }
}
