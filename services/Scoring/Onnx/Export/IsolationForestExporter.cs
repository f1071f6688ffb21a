using Vigil.Scoring.Detectors.Forest;

namespace Vigil.Scoring.Onnx.Export;

/// <summary>
/// The isolation forest as an ai.onnx.ml TreeEnsembleRegressor: every tree's nodes as they are (BRANCH_LT, left = the
/// true branch, so a row goes left when <c>x &lt; threshold</c> and NaN goes right, as in <see cref="IsolationTree"/>),
/// each leaf weighted by its path length (depth + c(size)), aggregated as AVERAGE = E[h(x)]; then
/// score = 2^(-E[h(x)] / c(ψ)) with ordinary ops. Output "score" [N], no contributions (as <see cref="IsolationForest.Score"/>).
/// </summary>
public static class IsolationForestExporter
{
    public static byte[] Export(IsolationForest forest)
    {
        ArgumentNullException.ThrowIfNull(forest);
        var width = forest.FeatureNames.Count;
        var nodes = new NodeArrays();
        for (var t = 0; t < forest.Trees.Count; t++) nodes.Add(t, forest.Trees[t]);

        var graph = new OnnxGraphBuilder("vigil_isolation_forest");
        var x = graph.Input(OnnxScoringGraph.Input, width);
        var meanPath = graph.Node("TreeEnsembleRegressor", [x], domain: OnnxGraphBuilder.MlDomain, attributes:
        [
            OnnxGraphBuilder.Int("n_targets", 1),
            OnnxGraphBuilder.String("aggregate_function", "AVERAGE"),
            OnnxGraphBuilder.String("post_transform", "NONE"),
            OnnxGraphBuilder.Ints("nodes_treeids", nodes.TreeIds),
            OnnxGraphBuilder.Ints("nodes_nodeids", nodes.NodeIds),
            OnnxGraphBuilder.Ints("nodes_featureids", nodes.FeatureIds),
            OnnxGraphBuilder.Strings("nodes_modes", nodes.Modes),
            OnnxGraphBuilder.Floats("nodes_values", nodes.Values),
            OnnxGraphBuilder.Ints("nodes_truenodeids", nodes.TrueIds),
            OnnxGraphBuilder.Ints("nodes_falsenodeids", nodes.FalseIds),
            OnnxGraphBuilder.Ints("nodes_missing_value_tracks_true", nodes.TreeIds.Select(_ => 0L)),
            OnnxGraphBuilder.Ints("target_treeids", nodes.LeafTreeIds),
            OnnxGraphBuilder.Ints("target_nodeids", nodes.LeafNodeIds),
            OnnxGraphBuilder.Ints("target_ids", nodes.LeafTreeIds.Select(_ => 0L)),
            OnnxGraphBuilder.Floats("target_weights", nodes.LeafWeights),
        ]);
        var flat = graph.Node("Reshape", [meanPath, graph.Int64Constant("rows", -1)]);
        var exponent = graph.Node("Div", [flat, graph.Scalar("minus_normalizer", (float)-forest.Normalizer)]);
        graph.Node("Pow", [graph.Scalar("two", 2f), exponent], OnnxScoringGraph.Score);
        graph.Output(OnnxScoringGraph.Score);
        return graph.ToBytes($"Vigil isolation forest: {forest.Trees.Count} trees, subsample {forest.SubsampleSize}, score 2^(-E[h]/c(psi)).");
    }

    private sealed class NodeArrays
    {
        public List<long> TreeIds { get; } = [];
        public List<long> NodeIds { get; } = [];
        public List<long> FeatureIds { get; } = [];
        public List<string> Modes { get; } = [];
        public List<float> Values { get; } = [];
        public List<long> TrueIds { get; } = [];
        public List<long> FalseIds { get; } = [];
        public List<long> LeafTreeIds { get; } = [];
        public List<long> LeafNodeIds { get; } = [];
        public List<float> LeafWeights { get; } = [];

        public void Add(int treeId, IsolationTree tree)
        {
            var feature = tree.FeatureIndex.Span;
            var threshold = tree.Threshold.Span;
            var left = tree.Left.Span;
            var right = tree.Right.Span;
            var leafPath = tree.LeafPathLength.Span;
            for (var n = 0; n < tree.NodeCount; n++)
            {
                var leaf = tree.IsLeaf(n);
                TreeIds.Add(treeId);
                NodeIds.Add(n);
                FeatureIds.Add(leaf ? 0 : feature[n]);
                Modes.Add(leaf ? "LEAF" : "BRANCH_LT");
                Values.Add(leaf ? 0 : threshold[n]);
                TrueIds.Add(leaf ? 0 : left[n]);
                FalseIds.Add(leaf ? 0 : right[n]);
                if (!leaf) continue;
                LeafTreeIds.Add(treeId);
                LeafNodeIds.Add(n);
                LeafWeights.Add(leafPath[n]);
            }
        }
    }
}
