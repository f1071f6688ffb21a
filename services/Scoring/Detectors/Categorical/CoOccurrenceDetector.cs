using Vigil.Scoring.Features;

namespace Vigil.Scoring.Detectors.Categorical;

/// <summary>
/// Contradictions between categorical columns that no numeric detector sees: a cash withdrawal made online, a country
/// paired with a currency it never uses. For every pair of categorical columns (one-hot or boolean) it counts on normal
/// rows how often each pair of values occurs together, against how often it would if the two columns were independent
/// (E = n(a) n(b) / N). A pair's surprise is ln((E + 1) / (n(a, b) + 1)), 0 when the pair is at least as common as
/// independence expects: large only where two common values (large E) rarely or never meet (small n). A value that is
/// merely rare has a small E and so a small surprise (rarity alone is the statistical detector's business), and the
/// add-one smoothing keeps a pair seen once from counting as impossible. A row's score is its largest surprise over all
/// pairs; contributions give each pair's surprise to the features of both values. Two one-hot columns over the same
/// values (country and home country) also count as a column of their own, "same value or not" (<see cref="SameValuePair"/>),
/// paired with every other column: a foreign country flagged domestic is a contradiction of three columns that no pair
/// of the original ones shows.
/// </summary>
public sealed class CoOccurrenceDetector : IScoresOnlyDetector
{
    public const string DetectorName = "co_occurrence";

    /// <summary>Most values a column may have to take part (the pipeline one-hot encodes only its frequent values anyway).</summary>
    public const int MaximumCategories = 64;

    /// <summary>Format 2 has same-value columns; a detector without them is written as format 1, as before they existed, and both are read.</summary>
    private const int FormatVersion = 2;
    private const double Smoothing = 1;

    private readonly Document _document;
    private readonly CategoryGroup[] _groups;
    private readonly SameValuePair[] _sameValues;
    private readonly float[][] _surprise;

    private CoOccurrenceDetector(Document document)
    {
        _document = document;
        _groups = [.. document.Groups.Select(g => new CategoryGroup(g.Column, g.Features))];
        _sameValues = [.. document.SameValues ?? []];
        _surprise = [.. document.Pairs.Select(p => p.Surprise.ToArray())];
    }

    public string Name => DetectorName;

    public IReadOnlyList<string> FeatureNames => _document.FeatureNames;

    /// <summary>The categorical columns compared, in feature order.</summary>
    public IReadOnlyList<string> Columns => [.. _groups.Select(g => g.Column)];

    /// <summary>The pairs of columns over the same values that are compared as "same or not", as "first=second".</summary>
    public IReadOnlyList<string> SameValueColumns => [.. _sameValues.Select(p => $"{_groups[p.First].Column}={_groups[p.Second].Column}")];

    /// <summary>
    /// Fits on normal rows, or returns null when the features have fewer than two categorical columns (no pair to
    /// compare: the detector would give every row the same score).
    /// </summary>
    public static CoOccurrenceDetector? Fit(FeatureMatrix normal, IReadOnlyList<FeatureSource> sources)
    {
        ArgumentNullException.ThrowIfNull(normal);
        if (sources.Count != normal.Columns) throw new ArgumentException("One source per feature is needed.", nameof(sources));
        var groups = CategoryGroup.Find(sources, MaximumCategories);
        if (groups.Count < 2 || normal.Rows == 0) return null;
        var sameValues = SameValuePair.Find(groups, sources).ToArray();
        var columns = groups.Count + sameValues.Length;
        var slots = new int[normal.Rows, columns];
        for (var r = 0; r < normal.Rows; r++)
        {
            var row = normal.Row(r);
            for (var g = 0; g < groups.Count; g++) slots[r, g] = groups[g].SlotOf(row);
            for (var v = 0; v < sameValues.Length; v++)
            {
                var pair = sameValues[v];
                slots[r, groups.Count + v] = pair.SlotOf(slots[r, pair.First], slots[r, pair.Second], groups[pair.Second].Slots);
            }
        }
        int SlotsOf(int column) => column < groups.Count ? groups[column].Slots : SameValuePair.Slots;
        var pairs = new List<PairDocument>();
        for (var a = 0; a < groups.Count; a++)
            for (var b = a + 1; b < columns; b++)
            {
                // A same-value column says nothing new beside one of its own two columns.
                if (b >= groups.Count && sameValues[b - groups.Count] is var same && (same.First == a || same.Second == a)) continue;
                pairs.Add(new PairDocument(a, b, Surprise(slots, a, b, SlotsOf(a), SlotsOf(b))));
            }
        var document = new Document(sameValues.Length > 0 ? FormatVersion : 1, [.. normal.FeatureNames],
            [.. groups.Select(g => new GroupDocument(g.Column, [.. g.Features]))], pairs);
        return new CoOccurrenceDetector(document with { SameValues = sameValues.Length > 0 ? sameValues : null });
    }

    private int SlotsOf(int column) => column < _groups.Length ? _groups[column].Slots : SameValuePair.Slots;

    /// <summary>ln((E + 1) / (n + 1)) per pair of values, at least 0, row-major (values of the first column x the second's).</summary>
    private static float[] Surprise(int[,] slots, int a, int b, int slotsA, int slotsB)
    {
        var joint = new double[slotsA * slotsB];
        var countA = new double[slotsA];
        var countB = new double[slotsB];
        var total = 0.0;
        for (var r = 0; r < slots.GetLength(0); r++)
        {
            int sa = slots[r, a], sb = slots[r, b];
            if (sa < 0 || sb < 0) continue;
            joint[sa * slotsB + sb]++;
            countA[sa]++;
            countB[sb]++;
            total++;
        }
        var surprise = new float[joint.Length];
        if (total == 0) return surprise;
        for (var i = 0; i < slotsA; i++)
            for (var j = 0; j < slotsB; j++)
            {
                var expected = countA[i] * countB[j] / total;
                surprise[i * slotsB + j] = (float)Math.Max(0, Math.Log((expected + Smoothing) / (joint[i * slotsB + j] + Smoothing)));
            }
        return surprise;
    }

    public DetectorScores Score(FeatureMatrix features)
    {
        CheckFeatures(features);
        var contributions = new float[features.Values.Length];
        return new DetectorScores(ScoreInto(features, contributions), contributions);
    }

    public float[] ScoresOnly(FeatureMatrix features)
    {
        CheckFeatures(features);
        return ScoreInto(features, contributions: null);
    }

    private float[] ScoreInto(FeatureMatrix features, float[]? contributions)
    {
        var scores = new float[features.Rows];
        var width = features.Columns;
        var pairs = _document.Pairs;
        var columns = _groups.Length + _sameValues.Length;
        var pairSlots = pairs.Select(p => SlotsOf(p.Second)).ToArray();
        Parallel.For(0, (features.Rows + 1023) / 1024, () => new int[columns], (block, _, slots) =>
        {
            var end = Math.Min(features.Rows, (block + 1) * 1024);
            for (var r = block * 1024; r < end; r++)
            {
                var row = features.Row(r);
                for (var g = 0; g < _groups.Length; g++) slots[g] = _groups[g].SlotOf(row);
                for (var v = 0; v < _sameValues.Length; v++)
                {
                    var same = _sameValues[v];
                    slots[_groups.Length + v] = same.SlotOf(slots[same.First], slots[same.Second], _groups[same.Second].Slots);
                }
                var max = 0f;
                for (var p = 0; p < pairs.Count; p++)
                {
                    int sa = slots[pairs[p].First], sb = slots[pairs[p].Second];
                    if (sa < 0 || sb < 0) continue;
                    var s = _surprise[p][sa * pairSlots[p] + sb];
                    if (s > max) max = s;
                    if (contributions is not null && s > 0)
                    {
                        Contribute(contributions, r * width, slots, pairs[p].First, s);
                        Contribute(contributions, r * width, slots, pairs[p].Second, s);
                    }
                }
                scores[r] = max;
            }
            return slots;
        }, _ => { });
        return scores;
    }

    /// <summary>The surprise goes to the features that hold the column's value; a same-value column's, to both of its columns' values.</summary>
    private void Contribute(float[] contributions, int rowStart, int[] slots, int column, float surprise)
    {
        if (column < _groups.Length)
        {
            Contribute(contributions, rowStart, _groups[column], slots[column], surprise);
            return;
        }
        var same = _sameValues[column - _groups.Length];
        Contribute(contributions, rowStart, _groups[same.First], slots[same.First], surprise);
        Contribute(contributions, rowStart, _groups[same.Second], slots[same.Second], surprise);
    }

    private static void Contribute(float[] contributions, int rowStart, CategoryGroup group, int slot, float surprise)
    {
        var feature = group.Features.Count == 1 ? group.Features[0] : group.Features[slot];
        ref var c = ref contributions[rowStart + feature];
        if (surprise > c) c = surprise;
    }

    private void CheckFeatures(FeatureMatrix features) => FeatureMatrix.RequireFitted(features, FeatureNames, "co-occurrence detector");

    public string ToJson() => ModelJson.Write(_document);

    public static CoOccurrenceDetector FromJson(string json)
    {
        var document = ModelJson.Read<Document>(json, "co-occurrence detector", FormatVersion, d => d is { Version: 1, SameValues: null } ? FormatVersion : d.Version);
        var width = document.FeatureNames.Count;
        var groups = document.Groups.Select(g => new CategoryGroup(g.Column, g.Features)).ToArray();
        if (groups.Any(g => g.Features.Count == 0 || g.Features.Any(f => (uint)f >= (uint)width)))
            throw new InvalidDataException($"Every column of the stored co-occurrence detector needs feature indexes below {width}.");
        var sameValues = document.SameValues ?? [];
        if (sameValues.Any(p => (uint)p.First >= (uint)groups.Length || (uint)p.Second >= (uint)groups.Length
                || p.Same.Count != groups[p.First].Slots * groups[p.Second].Slots || p.Same.Any(v => v is < -1 or > 1)))
            throw new InvalidDataException("A same-value column of the stored co-occurrence detector is invalid (column indexes, one -1/0/1 per pair of values).");
        var columns = groups.Length + sameValues.Count;
        int SlotsOf(int column) => column < groups.Length ? groups[column].Slots : SameValuePair.Slots;
        foreach (var pair in document.Pairs)
        {
            if ((uint)pair.First >= (uint)columns || (uint)pair.Second >= (uint)columns
                || pair.Surprise.Count != SlotsOf(pair.First) * SlotsOf(pair.Second) || pair.Surprise.Any(s => !(s >= 0) || !float.IsFinite(s)))
                throw new InvalidDataException("A pair of the stored co-occurrence detector is invalid (column indexes, one finite surprise >= 0 per pair of values).");
        }
        return new CoOccurrenceDetector(document);
    }

    private sealed record Document(int Version, IReadOnlyList<string> FeatureNames, IReadOnlyList<GroupDocument> Groups, IReadOnlyList<PairDocument> Pairs)
    {
        /// <summary>Absent in format 1.</summary>
        public IReadOnlyList<SameValuePair>? SameValues { get; init; }
    }

    private sealed record GroupDocument(string Column, IReadOnlyList<int> Features);

    private sealed record PairDocument(int First, int Second, IReadOnlyList<float> Surprise);
}
