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
/// pairs; contributions give each pair's surprise to the features of both values.
/// </summary>
public sealed class CoOccurrenceDetector : IScoresOnlyDetector
{
    public const string DetectorName = "co_occurrence";

    /// <summary>Most values a column may have to take part (the pipeline one-hot encodes only its frequent values anyway).</summary>
    public const int MaximumCategories = 64;

    private const int FormatVersion = 1;
    private const double Smoothing = 1;

    private readonly Document _document;
    private readonly CategoryGroup[] _groups;
    private readonly float[][] _surprise;

    private CoOccurrenceDetector(Document document)
    {
        _document = document;
        _groups = [.. document.Groups.Select(g => new CategoryGroup(g.Column, g.Features))];
        _surprise = [.. document.Pairs.Select(p => p.Surprise.ToArray())];
    }

    public string Name => DetectorName;

    public IReadOnlyList<string> FeatureNames => _document.FeatureNames;

    /// <summary>The categorical columns compared, in feature order.</summary>
    public IReadOnlyList<string> Columns => [.. _groups.Select(g => g.Column)];

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
        var slots = new int[normal.Rows, groups.Count];
        for (var r = 0; r < normal.Rows; r++)
        {
            var row = normal.Row(r);
            for (var g = 0; g < groups.Count; g++) slots[r, g] = groups[g].SlotOf(row);
        }
        var pairs = new List<PairDocument>();
        for (var a = 0; a < groups.Count; a++)
            for (var b = a + 1; b < groups.Count; b++)
                pairs.Add(new PairDocument(a, b, Surprise(slots, a, b, groups[a].Slots, groups[b].Slots)));
        return new CoOccurrenceDetector(new Document(FormatVersion, [.. normal.FeatureNames],
            [.. groups.Select(g => new GroupDocument(g.Column, [.. g.Features]))], pairs));
    }

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
        Parallel.For(0, (features.Rows + 1023) / 1024, () => new int[_groups.Length], (block, _, slots) =>
        {
            var end = Math.Min(features.Rows, (block + 1) * 1024);
            for (var r = block * 1024; r < end; r++)
            {
                var row = features.Row(r);
                for (var g = 0; g < _groups.Length; g++) slots[g] = _groups[g].SlotOf(row);
                var max = 0f;
                for (var p = 0; p < pairs.Count; p++)
                {
                    int sa = slots[pairs[p].First], sb = slots[pairs[p].Second];
                    if (sa < 0 || sb < 0) continue;
                    var s = _surprise[p][sa * _groups[pairs[p].Second].Slots + sb];
                    if (s > max) max = s;
                    if (contributions is not null && s > 0)
                    {
                        Contribute(contributions, r * width, _groups[pairs[p].First], sa, s);
                        Contribute(contributions, r * width, _groups[pairs[p].Second], sb, s);
                    }
                }
                scores[r] = max;
            }
            return slots;
        }, _ => { });
        return scores;
    }

    /// <summary>The surprise goes to the feature that holds the value (a boolean's one feature, or the value's one-hot feature).</summary>
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
        var document = ModelJson.Read<Document>(json, "co-occurrence detector", FormatVersion, d => d.Version);
        var width = document.FeatureNames.Count;
        var groups = document.Groups.Select(g => new CategoryGroup(g.Column, g.Features)).ToArray();
        if (groups.Any(g => g.Features.Count == 0 || g.Features.Any(f => (uint)f >= (uint)width)))
            throw new InvalidDataException($"Every column of the stored co-occurrence detector needs feature indexes below {width}.");
        foreach (var pair in document.Pairs)
        {
            if ((uint)pair.First >= (uint)groups.Length || (uint)pair.Second >= (uint)groups.Length
                || pair.Surprise.Count != groups[pair.First].Slots * groups[pair.Second].Slots || pair.Surprise.Any(s => !(s >= 0) || !float.IsFinite(s)))
                throw new InvalidDataException("A pair of the stored co-occurrence detector is invalid (column indexes, one finite surprise >= 0 per pair of values).");
        }
        return new CoOccurrenceDetector(document);
    }

    private sealed record Document(int Version, IReadOnlyList<string> FeatureNames, IReadOnlyList<GroupDocument> Groups, IReadOnlyList<PairDocument> Pairs);

    private sealed record GroupDocument(string Column, IReadOnlyList<int> Features);

    private sealed record PairDocument(int First, int Second, IReadOnlyList<float> Surprise);
}
