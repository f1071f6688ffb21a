namespace Vigil.Scoring.Detectors.Forest;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny, fully specified generator, so a forest grown from a seed is the same
/// on every runtime version (System.Random's seeded sequence is not guaranteed across .NET versions).
/// </summary>
internal struct SplitMix64(ulong state)
{
    private ulong _state = state;

    /// <summary>The generator of stream <paramref name="stream"/> (a tree) of <paramref name="seed"/>: independent of how streams are scheduled.</summary>
    public static SplitMix64 ForStream(int seed, int stream) =>
        new(Mix(((ulong)(uint)seed << 32 | (uint)stream) ^ 0x6A09E667F3BCC909UL));

    public ulong NextUInt64() => Mix(_state += 0x9E3779B97F4A7C15UL);

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, <paramref name="exclusiveMax"/>); the modulo bias is below 2^-32 for any int bound.</summary>
    public int NextInt(int exclusiveMax) => (int)(NextUInt64() % (ulong)exclusiveMax);

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
