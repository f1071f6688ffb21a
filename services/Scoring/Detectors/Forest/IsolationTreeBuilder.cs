using Vigil.Scoring.Features;

namespace Vigil.Scoring.Detectors.Forest;

/// <summary>Grows one isolation tree from its own random stream; touches nothing shared, so trees grow in parallel.</summary>
internal static class IsolationTreeBuilder
{
    public static IsolationTree Grow(FeatureMatrix data, int subsampleSize, int maxDepth, SplitMix64 random)
    {
        var columns = data.Columns;
        var sample = Subsample(data, subsampleSize, ref random);
        var rows = new int[subsampleSize];
        for (var i = 0; i < rows.Length; i++) rows[i] = i;

        var capacity = 2 * subsampleSize - 1;
        var featureIndex = new List<int>(capacity);
        var threshold = new List<float>(capacity);
        var left = new List<int>(capacity);
        var right = new List<int>(capacity);
        var leafPathLength = new List<float>(capacity);
        var nodeSize = new List<int>(capacity);
        var candidates = new int[columns];
        var min = new float[columns];
        var max = new float[columns];

        AddNode();
        var pending = new Stack<(int Node, int Start, int End, int Depth)>();
        pending.Push((0, 0, subsampleSize, 0));
        while (pending.Count > 0)
        {
            var (node, start, end, depth) = pending.Pop();
            var size = end - start;
            nodeSize[node] = size;
            var splittable = 0;
            if (depth < maxDepth && size > 1)
            {
                NodeRanges(sample, columns, rows.AsSpan(start, size), min, max);
                for (var f = 0; f < columns; f++)
                    if (max[f] > min[f]) candidates[splittable++] = f;
            }
            if (splittable == 0)
            {
                // Height limit, one row, or duplicates only: a leaf stands for the c(size) more splits it would take.
                leafPathLength[node] = (float)(depth + IsolationForest.AveragePathLength(size));
                continue;
            }

            var feature = candidates[random.NextInt(splittable)];
            var split = SplitValue(min[feature], max[feature], random.NextDouble());
            var middle = Partition(sample, columns, rows, start, end, feature, split);

            featureIndex[node] = feature;
            threshold[node] = split;
            left[node] = AddNode();
            right[node] = AddNode();
            pending.Push((right[node], middle, end, depth + 1));
            pending.Push((left[node], start, middle, depth + 1));
        }

        return new IsolationTree([.. featureIndex], [.. threshold], [.. left], [.. right], [.. leafPathLength], [.. nodeSize], columns);

        int AddNode()
        {
            featureIndex.Add(IsolationTree.NoNode);
            threshold.Add(0);
            left.Add(IsolationTree.NoNode);
            right.Add(IsolationTree.NoNode);
            leafPathLength.Add(0);
            nodeSize.Add(0);
            return featureIndex.Count - 1;
        }
    }

    /// <summary>
    /// A value in (min, max] drawn uniformly: rows below it go left, so the minimum always goes left and the maximum
    /// always goes right, even where rounding to float would land on min.
    /// </summary>
    private static float SplitValue(float min, float max, double uniform)
    {
        var split = (float)(min + uniform * ((double)max - min));
        if (split <= min) split = MathF.BitIncrement(min);
        return split > max ? max : split;
    }

    /// <summary>
    /// <paramref name="size"/> distinct rows drawn with Floyd's algorithm (no n-sized buffer per tree), copied row-major
    /// into one small block so growing the tree stays in cache. All rows when the data has no more than that.
    /// </summary>
    private static float[] Subsample(FeatureMatrix data, int size, ref SplitMix64 random)
    {
        var columns = data.Columns;
        var sample = new float[size * columns];
        if (size == data.Rows)
        {
            data.Values.AsSpan(0, sample.Length).CopyTo(sample);
            return sample;
        }

        var chosen = new HashSet<int>(size);
        var order = new int[size];
        var count = 0;
        for (var j = data.Rows - size; j < data.Rows; j++)
        {
            var pick = random.NextInt(j + 1);
            if (!chosen.Add(pick))
            {
                pick = j;
                chosen.Add(pick);
            }
            order[count++] = pick;
        }
        for (var i = 0; i < size; i++)
            data.Row(order[i]).CopyTo(sample.AsSpan(i * columns, columns));
        return sample;
    }

    private static void NodeRanges(float[] sample, int columns, ReadOnlySpan<int> rows, Span<float> min, Span<float> max)
    {
        sample.AsSpan(rows[0] * columns, columns).CopyTo(min);
        sample.AsSpan(rows[0] * columns, columns).CopyTo(max);
        for (var r = 1; r < rows.Length; r++)
        {
            var row = sample.AsSpan(rows[r] * columns, columns);
            for (var f = 0; f < columns; f++)
            {
                var v = row[f];
                if (v < min[f]) min[f] = v;
                else if (v > max[f]) max[f] = v;
            }
        }
    }

    /// <summary>Moves the rows of [start, end) with feature &lt; split to the front; returns where the right side begins.</summary>
    private static int Partition(float[] sample, int columns, int[] rows, int start, int end, int feature, float split)
    {
        var i = start;
        var j = end - 1;
        while (i <= j)
        {
            if (sample[rows[i] * columns + feature] < split) i++;
            else
            {
                (rows[i], rows[j]) = (rows[j], rows[i]);
                j--;
            }
        }
        return i;
    }
}
