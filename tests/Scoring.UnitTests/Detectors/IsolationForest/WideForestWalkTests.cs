using Vigil.Scoring.Detectors.Forest;
using Vigil.Scoring.Features;

namespace Vigil.Scoring.UnitTests.Detectors;

/// <summary>
/// The AVX-512 walk of the compiled forest against the scalar walk and against walking the trees' own arrays: the same
/// path-length sums to the bit, for every depth it takes, any number of rows and rows sitting on split values.
/// </summary>
public sealed class WideForestWalkTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]   // the deepest level still fits one permute (32 slots)
    [InlineData(6)]   // 64 slots: two permutes merged
    [InlineData(7)]
    [InlineData(8)]   // the default for a subsample of 256: four permutes on the last level
    public void Sums_equal_the_scalar_walk_and_the_trees_to_the_bit(int depth)
    {
        var (forest, rows) = ForestAndRows(depth, rowCount: 200);
        var wide = CompiledForest.TryCompile(forest.Trees)!;
        var scalar = CompiledForest.TryCompile(forest.Trees, wide: false)!;
        Assert.Equal(WideForestWalk.IsSupported, wide.IsWide);
        Assert.False(scalar.IsWide);

        var wideSums = Sums(wide, rows, blockRows: 64);
        Assert.Equal(Sums(scalar, rows, blockRows: 64), wideSums);
        for (var r = 0; r < rows.Rows; r++)
        {
            double walked = 0;
            foreach (var tree in forest.Trees) walked += tree.PathLength(rows.Row(r));
            Assert.Equal(walked, wideSums[r]);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]   // more than one call's rows: walked 64 at a time
    [InlineData(130)]
    public void Any_number_of_rows_gives_each_row_its_own_sum(int blockRows)
    {
        var (forest, rows) = ForestAndRows(depth: 8, rowCount: 260);
        var wide = CompiledForest.TryCompile(forest.Trees)!;
        var scalar = CompiledForest.TryCompile(forest.Trees, wide: false)!;

        Assert.Equal(Sums(scalar, rows, blockRows), Sums(wide, rows, blockRows));
    }

    [Fact]
    public void Forests_deeper_than_eight_levels_keep_the_scalar_walk()
    {
        var (forest, _) = ForestAndRows(depth: 9, rowCount: 1);

        Assert.False(CompiledForest.TryCompile(forest.Trees)!.IsWide);
    }

    /// <summary>A forest of the given depth, and rows with outliers, some values set to split thresholds and one -0.</summary>
    private static (IsolationForest Forest, FeatureMatrix Rows) ForestAndRows(int depth, int rowCount)
    {
        var generator = new SyntheticFeatures(6);
        var forest = IsolationForest.Fit(generator.Normal(4000),
            new IsolationForestOptions { Trees = 25, SubsampleSize = 1024, MaxDepth = depth, Seed = depth });
        Assert.Equal(depth, forest.Trees.Max(t => t.Depth));
        var test = generator.WithOutliers(rowCount, Math.Max(1, rowCount / 10), Outlier.Extreme).Matrix;
        var values = (float[])test.Values.Clone();
        for (var r = 0; r < rowCount / 2; r++)
        {
            var tree = forest.Trees[r % forest.Trees.Count];
            var node = r % tree.NodeCount;
            if (!tree.IsLeaf(node)) values[r * test.Columns + tree.FeatureIndex.Span[node]] = tree.Threshold.Span[node];
        }
        values[^1] = -0f;
        return (forest, new FeatureMatrix(values, test.Rows, test.FeatureNames));
    }

    /// <summary>Each row's summed path length, the rows handed over in blocks as the forest's scoring does.</summary>
    private static double[] Sums(CompiledForest compiled, FeatureMatrix rows, int blockRows)
    {
        var sums = new double[rows.Rows];
        var keys = new int[CompiledForest.KeyBufferLength(blockRows, rows.Columns) + WideForestWalk.KeyBufferLength(rows.Columns)];
        for (var first = 0; first < rows.Rows; first += blockRows)
        {
            var count = Math.Min(blockRows, rows.Rows - first);
            compiled.AddPathLengths(rows.Values.AsSpan(first * rows.Columns, count * rows.Columns), rows.Columns, sums.AsSpan(first, count), keys);
        }
        return sums;
    }
}
