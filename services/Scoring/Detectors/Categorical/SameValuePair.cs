using Vigil.Scoring.Features;

namespace Vigil.Scoring.Detectors.Categorical;

/// <summary>
/// Two one-hot columns that draw on the same values (a transaction's country and the customer's home country, a
/// billing and a shipping country), read as one more categorical column: whether a row's two values are the same.
/// A third column may contradict that (a foreign country flagged domestic), which no pair of the original columns
/// shows: every country is common with "domestic", and so is every home country.
/// </summary>
/// <param name="First">Index of the first column among the detector's categorical columns.</param>
/// <param name="Second">Index of the second column.</param>
/// <param name="Same">Per pair of slots (the first column's x the second's, row-major): 1 same value, 0 different, -1 cannot be told ("(other)" may hold anything not named).</param>
public sealed record SameValuePair(int First, int Second, IReadOnlyList<int> Same)
{
    /// <summary>Fewest named values two columns must share to be compared.</summary>
    public const int MinimumShared = 2;

    /// <summary>The slots this pair reads as a column: 0 different, 1 same.</summary>
    public const int Slots = 2;

    /// <summary>1 when the two slots hold the same value, 0 when they differ, -1 when it cannot be told or a slot is unknown.</summary>
    public int SlotOf(int first, int second, int secondSlots) => first < 0 || second < 0 ? -1 : Same[first * secondSlots + second];

    /// <summary>
    /// Pairs of one-hot columns that share at least <see cref="MinimumShared"/> named values and at least half of the
    /// smaller column's named values: columns over one vocabulary, not two columns that happen to share a "yes".
    /// </summary>
    public static IReadOnlyList<SameValuePair> Find(IReadOnlyList<CategoryGroup> groups, IReadOnlyList<FeatureSource> sources)
    {
        // Named values per slot; null for "(other)". Booleans (one feature) are left out: two booleans' 2 x 2 table is a pair already.
        var values = groups.Select(g => g.Features.Count < 2 ? null
            : g.Features.Select(f => sources[f] is { Kind: FeatureKind.Category, Category: { } c } ? c : null).ToArray()).ToArray();
        var pairs = new List<SameValuePair>();
        for (var a = 0; a < groups.Count; a++)
            for (var b = a + 1; b < groups.Count; b++)
            {
                if (values[a] is not { } first || values[b] is not { } second) continue;
                var shared = first.Count(v => v is not null && second.Contains(v));
                var named = Math.Min(first.Count(v => v is not null), second.Count(v => v is not null));
                if (shared < MinimumShared || 2 * shared < named) continue;
                var same = new int[first.Length * second.Length];
                for (var i = 0; i < first.Length; i++)
                    for (var j = 0; j < second.Length; j++)
                        same[i * second.Length + j] = Compare(first[i], second[j], first, second);
                pairs.Add(new SameValuePair(a, b, same));
            }
        return pairs;
    }

    /// <summary>Two named values compare as text; "(other)" differs only from a value the other column names, else it cannot be told.</summary>
    private static int Compare(string? x, string? y, string?[] firstNamed, string?[] secondNamed) => (x, y) switch
    {
        (not null, not null) => x == y ? 1 : 0,
        (null, not null) => firstNamed.Contains(y) ? 0 : -1,
        (not null, null) => secondNamed.Contains(x) ? 0 : -1,
        _ => -1,
    };
}
