using Vigil.Scoring.Features;

namespace Vigil.Scoring.Detectors.Categorical;

/// <summary>
/// The features of one categorical source column as they appear in a feature row: the 0/1 features of a one-hot
/// column (its frequent values and "(other)"), or the single 0/1 feature of a boolean column. A row's
/// <see cref="SlotOf"/> is the index of its value among <see cref="Slots"/>.
/// </summary>
public sealed record CategoryGroup(string Column, IReadOnlyList<int> Features)
{
    /// <summary>How many values the column can take in a row: two for a boolean, one per one-hot feature.</summary>
    public int Slots => Features.Count == 1 ? 2 : Features.Count;

    /// <summary>The row's value as a slot index, or -1 where no one-hot feature is set.</summary>
    public int SlotOf(ReadOnlySpan<float> row)
    {
        if (Features.Count == 1) return row[Features[0]] > 0.5f ? 1 : 0;
        for (var i = 0; i < Features.Count; i++)
            if (row[Features[i]] > 0.5f) return i;
        return -1;
    }

    /// <summary>The categorical columns of a pipeline with 2 to <paramref name="maximumSlots"/> values, in feature order.</summary>
    public static IReadOnlyList<CategoryGroup> Find(IReadOnlyList<FeatureSource> sources, int maximumSlots)
    {
        var groups = new List<CategoryGroup>();
        foreach (var column in sources.Select((s, f) => (Source: s, Feature: f)).GroupBy(p => p.Source.Column))
        {
            var oneHot = column.Where(p => p.Source is { Encoding: FeatureEncoding.OneHot, Kind: FeatureKind.Category or FeatureKind.OtherCategory })
                .Select(p => p.Feature).ToArray();
            var boolean = column.Where(p => p.Source is { Encoding: FeatureEncoding.Boolean, Kind: FeatureKind.Value }).Select(p => p.Feature).ToArray();
            CategoryGroup? group = oneHot.Length >= 2 ? new(column.Key, oneHot) : boolean.Length == 1 ? new(column.Key, boolean) : null;
            if (group is not null && group.Slots <= maximumSlots) groups.Add(group);
        }
        return groups;
    }
}
