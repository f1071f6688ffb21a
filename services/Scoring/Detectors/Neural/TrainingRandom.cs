namespace Vigil.Scoring.Detectors.Neural;

/// <summary>
/// SplitMix64 with a Gaussian on top: small and fully specified, so a seed trains the same network on every runtime
/// version (System.Random's seeded sequence is not guaranteed across .NET versions).
/// </summary>
internal struct TrainingRandom(int seed)
{
    private ulong _state = (ulong)(uint)seed ^ 0x243F6A8885A308D3UL;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, <paramref name="exclusiveMax"/>); the modulo bias is below 2^-32 for any int bound.</summary>
    public int NextInt(int exclusiveMax) => (int)(NextUInt64() % (ulong)exclusiveMax);

    /// <summary>Standard normal by Box-Muller (one of the pair; simple over fast, it only initialises weights).</summary>
    public double NextGaussian()
    {
        var u = 1.0 - NextDouble();
        var v = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }

    public void Shuffle(Span<int> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
