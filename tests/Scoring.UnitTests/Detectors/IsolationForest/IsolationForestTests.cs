using Vigil.Scoring.Detectors.Forest;
using Vigil.Scoring.Features;

// The tests live in the parent namespace: inside Vigil.Scoring.UnitTests.Detectors.IsolationForest the simple name
// IsolationForest would bind to that namespace instead of the detector type.
namespace Vigil.Scoring.UnitTests.Detectors;

public sealed class IsolationForestTests
{
    private static readonly string[] TwoFeatures = ["a", "b"];

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(1, 0.0)]
    [InlineData(2, 1.0)]
    [InlineData(3, 5.0 / 3)]                         // 2(1 + 1/2) - 4/3
    [InlineData(4, 13.0 / 6)]                        // 2(1 + 1/2 + 1/3) - 6/4
    public void Average_path_length_of_small_sets_is_exact(int n, double expected)
    {
        Assert.Equal(expected, IsolationForest.AveragePathLength(n), 12);
    }

    [Theory]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(66)]                                 // first n that takes the asymptotic harmonic number
    [InlineData(256)]
    [InlineData(100_000)]
    public void Average_path_length_is_two_harmonic_numbers_less_the_correction(int n)
    {
        double harmonic = 0;
        for (var i = n - 1; i >= 1; i--) harmonic += 1.0 / i;

        Assert.Equal(2 * harmonic - 2.0 * (n - 1) / n, IsolationForest.AveragePathLength(n), 10);
    }

    [Fact]
    public void Two_rows_are_isolated_by_one_split_and_score_one_half()
    {
        var data = new FeatureMatrix([0f, 5f, 1f, 5f], 2, TwoFeatures);   // only feature "a" varies

        var forest = IsolationForest.Fit(data, new IsolationForestOptions { Trees = 1 });

        var tree = Assert.Single(forest.Trees);
        Assert.Equal(3, tree.NodeCount);
        Assert.Equal(0, tree.FeatureIndex.Span[0]);
        Assert.InRange(tree.Threshold.Span[0], 0f, 1f);
        Assert.Equal(1f, tree.LeafPathLength.Span[tree.Left.Span[0]]);      // depth 1 + c(1)
        Assert.Equal(1f, tree.LeafPathLength.Span[tree.Right.Span[0]]);
        // E[h] = 1 and c(2) = 1: s = 2^-1 for both rows.
        Assert.Equal([0.5f, 0.5f], forest.Score(data).Scores);
    }

    [Fact]
    public void Identical_rows_make_a_single_leaf_worth_c_of_their_count()
    {
        var data = new FeatureMatrix([.. Enumerable.Repeat(3f, 20)], 10, TwoFeatures);

        var forest = IsolationForest.Fit(data, new IsolationForestOptions { Trees = 3 });

        Assert.All(forest.Trees, tree =>
        {
            Assert.Equal(1, tree.NodeCount);
            Assert.True(tree.IsLeaf(0));
            Assert.Equal((float)IsolationForest.AveragePathLength(10), tree.LeafPathLength.Span[0]);
        });
        Assert.All(forest.Score(data).Scores, s => Assert.Equal(0.5f, s, 6));   // 2^(-c(10) / c(10))
    }

    [Fact]
    public void Leaves_at_the_height_limit_add_c_of_the_rows_that_reached_them()
    {
        var data = new SyntheticFeatures(4).Normal(64);

        var forest = IsolationForest.Fit(data, new IsolationForestOptions { Trees = 5, SubsampleSize = 64, MaxDepth = 2 });

        Assert.Equal(64, forest.SubsampleSize);
        foreach (var tree in forest.Trees)
        {
            Assert.Equal(2, tree.Depth);
            var reached = new int[tree.NodeCount];
            for (var r = 0; r < data.Rows; r++) reached[tree.LeafOf(data.Row(r))]++;   // the subsample is every row
            for (var node = 0; node < tree.NodeCount; node++)
            {
                if (!tree.IsLeaf(node)) continue;
                var depth = DepthOf(tree, node);
                var expected = (float)(depth + IsolationForest.AveragePathLength(reached[node]));
                Assert.Equal(expected, tree.LeafPathLength.Span[node]);
            }
        }
    }

    [Fact]
    public void Default_height_limit_is_ceil_log2_of_the_subsample()
    {
        var data = new SyntheticFeatures(5).Normal(3000);

        var forest = IsolationForest.Fit(data, new IsolationForestOptions { Trees = 20, SubsampleSize = 200 });

        Assert.Equal(200, forest.SubsampleSize);
        Assert.All(forest.Trees, t => Assert.True(t.Depth <= 8, $"depth {t.Depth} exceeds ceil(log2 200) = 8"));
        Assert.Contains(forest.Trees, t => t.Depth == 8);
    }

    [Fact]
    public void Subsample_is_capped_at_the_training_rows()
    {
        var forest = IsolationForest.Fit(new SyntheticFeatures(3).Normal(100), new IsolationForestOptions { Trees = 4 });

        Assert.Equal(100, forest.SubsampleSize);
        Assert.Equal(IsolationForest.AveragePathLength(100), forest.Normalizer);
    }

    [Fact]
    public void Same_seed_grows_the_same_forest_and_another_seed_a_different_one()
    {
        var generator = new SyntheticFeatures(6);
        var data = generator.Normal(5000);
        var test = generator.Normal(500);

        var first = IsolationForest.Fit(data, new IsolationForestOptions { Seed = 11 });
        var second = IsolationForest.Fit(data, new IsolationForestOptions { Seed = 11 });
        var other = IsolationForest.Fit(data, new IsolationForestOptions { Seed = 12 });

        Assert.Equal(first.ToJson(), second.ToJson());
        Assert.Equal(first.Score(test).Scores, second.Score(test).Scores);
        Assert.NotEqual(first.Score(test).Scores, other.Score(test).Scores);
    }

    [Fact]
    public void A_tree_depends_only_on_the_seed_and_its_index_not_on_the_forest_size()
    {
        var data = new SyntheticFeatures(6).Normal(2000);

        var small = IsolationForest.Fit(data, new IsolationForestOptions { Trees = 10 });
        var large = IsolationForest.Fit(data, new IsolationForestOptions { Trees = 40 });

        for (var t = 0; t < small.Trees.Count; t++)
        {
            Assert.Equal(small.Trees[t].FeatureIndex.ToArray(), large.Trees[t].FeatureIndex.ToArray());
            Assert.Equal(small.Trees[t].Threshold.ToArray(), large.Trees[t].Threshold.ToArray());
            Assert.Equal(small.Trees[t].LeafPathLength.ToArray(), large.Trees[t].LeafPathLength.ToArray());
        }
    }

    [Fact]
    public void Json_round_trip_keeps_every_tree_and_score_bit_for_bit()
    {
        var generator = new SyntheticFeatures(8);
        var forest = IsolationForest.Fit(generator.Normal(4000), new IsolationForestOptions { Trees = 50, Seed = 3 });
        var test = generator.WithOutliers(1000, 50, Outlier.Extreme).Matrix;

        var restored = IsolationForest.FromJson(forest.ToJson());

        Assert.Equal(forest.FeatureNames, restored.FeatureNames);
        Assert.Equal(forest.SubsampleSize, restored.SubsampleSize);
        Assert.Equal(forest.Options, restored.Options);
        for (var t = 0; t < forest.Trees.Count; t++)
        {
            Assert.Equal(forest.Trees[t].FeatureIndex.ToArray(), restored.Trees[t].FeatureIndex.ToArray());
            Assert.Equal(forest.Trees[t].Threshold.ToArray(), restored.Trees[t].Threshold.ToArray());
            Assert.Equal(forest.Trees[t].Left.ToArray(), restored.Trees[t].Left.ToArray());
            Assert.Equal(forest.Trees[t].Right.ToArray(), restored.Trees[t].Right.ToArray());
            Assert.Equal(forest.Trees[t].LeafPathLength.ToArray(), restored.Trees[t].LeafPathLength.ToArray());
        }
        Assert.Equal(forest.Score(test).Scores, restored.Score(test).Scores);
        Assert.Equal(forest.ToJson(), restored.ToJson());
    }

    [Theory]
    [InlineData(null)]   // depth 8: the compiled heap scorer
    [InlineData(14)]     // deeper than the heap scorer takes: walks the trees
    public void Scores_equal_the_formula_over_a_walk_of_the_exported_arrays(int? maxDepth)
    {
        var generator = new SyntheticFeatures(5);
        var data = generator.Normal(6000);
        var forest = IsolationForest.Fit(data, new IsolationForestOptions { Trees = 30, SubsampleSize = 4096, MaxDepth = maxDepth });
        // Rows sitting exactly on split values (and -0 against a split at 0) must go the same way as in the arrays.
        var test = generator.WithOutliers(600, 30, Outlier.Extreme).Matrix;
        var values = (float[])test.Values.Clone();
        for (var r = 0; r < 200; r++)
        {
            var tree = forest.Trees[r % forest.Trees.Count];
            var node = r % tree.NodeCount;
            if (!tree.IsLeaf(node)) values[r * test.Columns + tree.FeatureIndex.Span[node]] = tree.Threshold.Span[node];
        }
        values[200 * test.Columns] = -0f;
        test = new FeatureMatrix(values, test.Rows, test.FeatureNames);

        var scores = forest.Score(test).Scores;

        for (var r = 0; r < test.Rows; r++)
        {
            double sum = 0;
            foreach (var tree in forest.Trees) sum += Walk(tree, test.Row(r));
            var expected = (float)Math.Pow(2, -(sum / forest.Trees.Count) / IsolationForest.AveragePathLength(forest.SubsampleSize));
            Assert.Equal(expected, scores[r]);
        }
    }

    [Fact]
    public void Rows_with_an_extreme_value_score_higher_than_normal_rows()
    {
        // Few features: with the height limit of 8, a path meets a split on any one of d features about 8/d times, so a
        // single extreme value among many features is weakly isolated (10 features: ROC-AUC about 0.8). That is the
        // forest's nature, not a defect; the autoencoder and the statistical detector cover it.
        var generator = new SyntheticFeatures(4, factors: 2);
        var forest = IsolationForest.Fit(generator.Normal(20_000), new IsolationForestOptions());
        var (test, isOutlier) = generator.WithOutliers(5000, 100, Outlier.Extreme);

        var scores = forest.Score(test).Scores;

        Assert.True(Ranking.RocAuc(scores, isOutlier) >= 0.9, $"ROC-AUC {Ranking.RocAuc(scores, isOutlier):F3}");
        var normal = scores.Where((_, i) => !isOutlier[i]).Average();
        var outlying = scores.Where((_, i) => isOutlier[i]).Average();
        Assert.True(normal < 0.5, $"normal rows average {normal:F3}");
        Assert.True(outlying > normal + 0.1, $"outliers average {outlying:F3}, normal {normal:F3}");
    }

    [Fact]
    public void Score_gives_no_contributions_and_explain_shares_each_score_among_the_split_features()
    {
        var generator = new SyntheticFeatures(6);
        var forest = IsolationForest.Fit(generator.Normal(5000), new IsolationForestOptions { Trees = 100 });
        var (test, isOutlier) = generator.WithOutliers(400, 40, Outlier.Extreme);

        var scored = forest.Score(test);
        var explained = forest.Explain(test);

        Assert.Null(scored.Contributions);
        Assert.Equal(scored.Scores, explained.Scores);
        var contributions = Assert.IsType<float[]>(explained.Contributions);
        Assert.Equal(test.Rows * test.Columns, contributions.Length);
        for (var r = 0; r < test.Rows; r++)
        {
            var row = contributions.AsSpan(r * test.Columns, test.Columns);
            Assert.All(row.ToArray(), c => Assert.True(c >= 0));
            Assert.Equal(scored.Scores[r], row.ToArray().Sum(), 4);
        }
        // An extreme value isolates its row early, so that feature leads the row's contributions.
        var led = 0;
        for (var r = 0; r < test.Rows; r++)
        {
            if (!isOutlier[r]) continue;
            var row = contributions.AsSpan(r * test.Columns, test.Columns).ToArray();
            var shifted = ShiftedFeature(generator, test, r);
            if (Array.IndexOf(row, row.Max()) == shifted) led++;
        }
        Assert.True(led >= 36, $"the shifted feature led {led} of 40 outliers");
    }

    [Fact]
    public void Fit_rejects_an_empty_training_set()
    {
        var empty = new FeatureMatrix([], 0, TwoFeatures);

        var error = Assert.Throws<ArgumentException>(() => IsolationForest.Fit(empty, new IsolationForestOptions()));

        Assert.Equal("normal", error.ParamName);
        Assert.Contains("at least 2 training rows", error.Message);
    }

    [Fact]
    public void Fit_rejects_a_training_set_without_columns()
    {
        var noColumns = new FeatureMatrix([], 5, []);

        var error = Assert.Throws<ArgumentException>(() => IsolationForest.Fit(noColumns, new IsolationForestOptions()));

        Assert.Contains("at least one feature column", error.Message);
    }

    [Theory]
    [InlineData(0, 256, null, "Trees")]
    [InlineData(10, 1, null, "SubsampleSize")]
    [InlineData(10, 256, 0, "MaxDepth")]
    public void Fit_rejects_options_out_of_range(int trees, int subsample, int? maxDepth, string parameter)
    {
        var data = new SyntheticFeatures(3).Normal(50);
        var options = new IsolationForestOptions { Trees = trees, SubsampleSize = subsample, MaxDepth = maxDepth };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => IsolationForest.Fit(data, options));

        Assert.Equal(parameter, error.ParamName);
    }

    [Fact]
    public void Score_rejects_a_matrix_with_other_features()
    {
        var forest = IsolationForest.Fit(new SyntheticFeatures(3).Normal(100), new IsolationForestOptions { Trees = 5 });

        var fewer = Assert.Throws<ArgumentException>(() => forest.Score(new FeatureMatrix([1f, 2f], 1, TwoFeatures)));
        var renamed = Assert.Throws<ArgumentException>(() => forest.Score(new FeatureMatrix([1f, 2f, 3f], 1, ["f0", "x", "f2"])));

        Assert.Contains("grown on 3 features; the matrix has 2", fewer.Message);
        Assert.Contains("Feature 1 is 'x'", renamed.Message);
    }

    [Fact]
    public void Scoring_no_rows_gives_no_scores()
    {
        var forest = IsolationForest.Fit(new SyntheticFeatures(3).Normal(100), new IsolationForestOptions { Trees = 5 });

        Assert.Empty(forest.Score(new FeatureMatrix([], 0, ["f0", "f1", "f2"])).Scores);
    }

    [Theory]
    [InlineData("not json", "Not an isolation forest document")]
    [InlineData("""{"detector":"autoencoder","version":1}""", "detector 'autoencoder'")]
    [InlineData("""{"detector":"isolation_forest","version":2,"featureNames":["a"],"subsampleSize":4,"trees":[]}""", "version 2")]
    [InlineData("""{"detector":"isolation_forest","version":1,"featureNames":["a"],"subsampleSize":4,"trees":[{"featureIndex":[0,-1,-1],"threshold":[1,0,0],"left":[0,-1,-1],"right":[2,-1,-1],"leafPathLength":[0,1,1],"nodeSize":[4,2,2]}]}""", "children must come after their parent")]
    [InlineData("""{"detector":"isolation_forest","version":1,"featureNames":["a"],"subsampleSize":4,"trees":[{"featureIndex":[3,-1,-1],"threshold":[1,0,0],"left":[1,-1,-1],"right":[2,-1,-1],"leafPathLength":[0,1,1],"nodeSize":[4,2,2]}]}""", "outside the 1 features")]
    [InlineData("""{"detector":"isolation_forest","version":1,"featureNames":["a"],"subsampleSize":4,"trees":[{"featureIndex":[0,-1],"threshold":[1,0,0],"left":[1,-1,-1],"right":[2,-1,-1],"leafPathLength":[0,1,1],"nodeSize":[4,2,2]}]}""", "one length")]
    [InlineData("""{"detector":"isolation_forest","version":1,"featureNames":["a"],"subsampleSize":4,"trees":[{"featureIndex":[0,-1,-1],"threshold":[1,0,0],"left":[1,-1,-1],"right":[2,-1,-1],"leafPathLength":[0,1,1],"nodeSize":[4,2,1]}]}""", "holds 4 rows but its children 2 and 1")]
    public void FromJson_rejects_documents_that_are_not_a_forest(string json, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => IsolationForest.FromJson(json));

        Assert.Equal("json", error.ParamName);
        Assert.Contains(reason, error.Message);
    }

    private static float Walk(IsolationTree tree, ReadOnlySpan<float> row)
    {
        var node = 0;
        while (tree.FeatureIndex.Span[node] >= 0)
            node = row[tree.FeatureIndex.Span[node]] < tree.Threshold.Span[node] ? tree.Left.Span[node] : tree.Right.Span[node];
        return tree.LeafPathLength.Span[node];
    }

    private static int DepthOf(IsolationTree tree, int node)
    {
        var depth = 0;
        while (node != 0)
        {
            node = Enumerable.Range(0, tree.NodeCount).Single(n => tree.Left.Span[n] == node || tree.Right.Span[n] == node);
            depth++;
        }
        return depth;
    }

    /// <summary>The feature furthest from its normal range in standard units (the one the generator shifted).</summary>
    private static int ShiftedFeature(SyntheticFeatures generator, FeatureMatrix test, int row)
    {
        var reference = generator.Normal(2000);
        var best = -1;
        var bestZ = double.NegativeInfinity;
        for (var f = 0; f < test.Columns; f++)
        {
            var column = Enumerable.Range(0, reference.Rows).Select(r => (double)reference[r, f]).ToArray();
            var mean = column.Average();
            var sd = Math.Sqrt(column.Select(v => (v - mean) * (v - mean)).Average());
            var z = Math.Abs(test[row, f] - mean) / sd;
            if (z > bestZ) (best, bestZ) = (f, z);
        }
        return best;
    }
}
