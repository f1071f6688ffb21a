using Vigil.Scoring.Evaluation;

namespace Vigil.Scoring.UnitTests.Evaluation;

/// <summary>
/// <see cref="FeatureTail"/> looks deviations up through a guide table; its evidence is, to the bit, that of a binary
/// search over every fitted deviation (<see cref="Reference"/>, the tail as it was before, kept here).
/// </summary>
public sealed class FeatureTailTests
{
    public static TheoryData<string, int> Samples => new()
    {
        { "continuous", 100_000 },
        { "continuous", 1_000 },
        { "continuous", 120 },
        { "continuous", 3 },
        { "few values", 100_000 },
        { "few values", 60 },
        { "one-hot", 100_000 },
        { "one-hot", 40 },
        { "constant", 5_000 },
        { "zeros and a far outlier", 100_000 },
        { "rounded, heavy-tailed", 50_000 },
        { "clipped at the largest z", 20_000 },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Evidence_is_that_of_a_binary_search_over_every_fitted_deviation(string shape, int count)
    {
        var random = new Random(HashCode.Combine(shape.Length, count));
        var deviations = Deviations(shape, count, random);

        var tail = FeatureTail.Fit(deviations);
        var reference = new Reference(deviations);

        foreach (var query in Queries(deviations, random))
            Assert.True(BitConverter.DoubleToInt64Bits(reference.Evidence(query)) == BitConverter.DoubleToInt64Bits(tail.Evidence(query)),
                $"{shape} ({count}): evidence of {query:R} is {tail.Evidence(query):R}, the binary search says {reference.Evidence(query):R}");
    }

    private static float[] Deviations(string shape, int count, Random random) => shape switch
    {
        "continuous" => [.. Enumerable.Range(0, count).Select(_ => (float)Math.Abs(Normal(random)))],
        "few values" => [.. Enumerable.Range(0, count).Select(_ => random.Next(6) * 0.6745f)],
        "one-hot" => [.. Enumerable.Range(0, count).Select(_ => random.NextDouble() < 0.93 ? 0f : 3.1f)],
        "constant" => [.. Enumerable.Repeat(0.5f, count)],
        "zeros and a far outlier" => [.. Enumerable.Range(0, count).Select(i => i == count / 2 ? 1e6f : 0f)],
        "rounded, heavy-tailed" => [.. Enumerable.Range(0, count).Select(_ => MathF.Round((float)Math.Pow(1 - random.NextDouble(), -0.5), 1))],
        "clipped at the largest z" => [.. Enumerable.Range(0, count).Select(_ => Math.Min(1_000f, (float)Math.Exp(4 * Math.Abs(Normal(random)))))],
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    /// <summary>Every fitted value and its float neighbours, points between and around them, random ones, and the odd ones.</summary>
    private static IEnumerable<float> Queries(float[] deviations, Random random)
    {
        var distinct = deviations.Distinct().Order().ToArray();
        var step = Math.Max(1, distinct.Length / 20_000);
        for (var i = 0; i < distinct.Length; i += step)
        {
            var value = distinct[i];
            yield return value;
            yield return MathF.BitDecrement(value);
            yield return MathF.BitIncrement(value);
            if (i + 1 < distinct.Length) yield return (value + distinct[i + 1]) / 2;
        }
        var (min, max) = (distinct[0], distinct[^1]);
        for (var i = 0; i < 20_000; i++) yield return (float)(min - 1 + random.NextDouble() * (max - min + 2));
        foreach (var odd in new[] { 0f, -0f, -1f, float.Epsilon, max * 2, float.MaxValue, float.PositiveInfinity, float.NegativeInfinity, float.NaN })
            yield return odd;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>The tail as it was fitted and looked up before the guide table: a binary search over the sorted deviations.</summary>
    private sealed class Reference
    {
        private readonly float[] _sorted;
        private readonly ParetoTail? _tail;

        public Reference(float[] deviations)
        {
            _sorted = [.. deviations];
            Array.Sort(_sorted);
            _tail = _sorted.Length >= ParetoTail.MinimumRobustScores ? ParetoTail.FitRobust(_sorted) : ParetoTail.FitHeavy(_sorted);
        }

        public double Evidence(float deviation)
        {
            if (_tail is not null && deviation > _tail.Start) return _tail.Evidence(deviation);
            int low = 0, high = _sorted.Length;
            while (low < high)
            {
                var middle = (low + high) >>> 1;
                if (_sorted[middle] < deviation) low = middle + 1;
                else high = middle;
            }
            var atLeast = _sorted.Length - low;
            var n = _sorted.Length;
            return atLeast == 0 ? Math.Log(n + 1.0) : -Math.Log((double)atLeast / n);
        }
    }
}
