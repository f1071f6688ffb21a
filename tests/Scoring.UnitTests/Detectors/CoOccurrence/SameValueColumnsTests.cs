using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Vigil.Scoring.Detectors.Categorical;
using Vigil.Scoring.Evaluation;
using Vigil.Scoring.Features;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.UnitTests.Detectors.CoOccurrence;

public sealed class SameValueColumnsTests
{
    private static readonly string[] Countries = ["DE", "FR", "GB", "US", "ES", "IT"];

    /// <summary>
    /// Card payments abroad or at home: the payment's country is the customer's home country unless the payment is
    /// foreign (10%). Rows in <paramref name="contradictions"/> are paid in another country yet flagged domestic: every
    /// country and every home country is common with "domestic", so only the three columns together contradict.
    /// </summary>
    internal static TypedTable Payments(int rows, int seed, ISet<int>? contradictions = null)
    {
        var random = new Random(seed);
        var text = new StringBuilder("id,amount,country,home_country,is_foreign,channel\n");
        for (var i = 0; i < rows; i++)
        {
            var home = random.Next(Countries.Length);
            var foreign = random.NextDouble() < 0.1;
            var country = foreign ? (home + 1 + random.Next(Countries.Length - 1)) % Countries.Length : home;
            if (contradictions?.Contains(i) == true)
            {
                country = (home + 1 + random.Next(Countries.Length - 1)) % Countries.Length;
                foreign = false;
            }
            var amount = Math.Round(Math.Exp(3 + random.NextDouble() * 2), 2);
            var channel = random.NextDouble() < 0.4 ? "online" : "pos";
            text.Append(CultureInfo.InvariantCulture,
                $"p-{i},{amount},{Countries[country]},{Countries[home]},{(foreign ? "true" : "false")},{channel}\n");
        }
        return TableReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text.ToString())), TableReader.CsvMediaType);
    }

    private static readonly HashSet<int> Planted = [.. Enumerable.Range(0, 30).Select(i => 11 + i * 61)];

    private static (CoOccurrenceDetector Detector, FeaturePipeline Pipeline) Fitted()
    {
        var training = Payments(6000, seed: 1);
        var pipeline = FeaturePipeline.Fit(training, new FeaturePipelineOptions { ExcludeColumns = ["id"] });
        return (CoOccurrenceDetector.Fit(pipeline.Transform(training), pipeline.Sources)!, pipeline);
    }

    [Fact]
    public void A_foreign_country_flagged_domestic_scores_above_every_clean_row()
    {
        var (detector, pipeline) = Fitted();
        var batch = Payments(2000, seed: 2, Planted);
        var labels = Enumerable.Range(0, batch.RowCount).Select(Planted.Contains).ToArray();

        var scores = detector.Score(pipeline.Transform(batch)).Scores;

        Assert.Equal(["country=home_country"], detector.SameValueColumns);
        var highestClean = scores.Where((_, r) => !labels[r]).Max();
        var lowestPlanted = scores.Where((_, r) => labels[r]).Min();
        Assert.True(lowestPlanted > highestClean, $"lowest planted {lowestPlanted}, highest clean {highestClean}");
    }

    [Fact]
    public void No_pair_of_the_original_columns_sees_the_contradiction()
    {
        // The same detector read back without its same-value column: what the pairs alone see.
        var (detector, pipeline) = Fitted();
        var document = JsonNode.Parse(detector.ToJson())!.AsObject();
        var groups = document["groups"]!.AsArray().Count;
        document.Remove("sameValues");
        document["version"] = 1;
        var pairs = document["pairs"]!.AsArray();
        foreach (var pair in pairs.Where(p => p!["second"]!.GetValue<int>() >= groups).ToList()) pairs.Remove(pair);
        var pairsOnly = CoOccurrenceDetector.FromJson(document.ToJsonString());
        var batch = Payments(2000, seed: 2, Planted);
        var labels = Enumerable.Range(0, batch.RowCount).Select(Planted.Contains).ToArray();
        var features = pipeline.Transform(batch);

        var withSame = ClassificationMetrics.RecallAtK(detector.ScoresOnly(features), labels);
        var without = ClassificationMetrics.RecallAtK(pairsOnly.ScoresOnly(features), labels);

        Assert.Empty(pairsOnly.SameValueColumns);
        Assert.Equal(1, withSame);
        Assert.True(without < 0.5, $"pairs alone found {without:P0} of the planted rows");
    }

    [Fact]
    public void Columns_over_different_values_are_not_compared()
    {
        // Country and currency: related, but no value of one is a value of the other.
        var table = CoOccurrenceDetectorTests.Payments(3000, seed: 1);
        var pipeline = FeaturePipeline.Fit(table, new FeaturePipelineOptions { ExcludeColumns = ["id"] });

        var detector = CoOccurrenceDetector.Fit(pipeline.Transform(table), pipeline.Sources)!;

        Assert.Empty(detector.SameValueColumns);
        Assert.DoesNotContain("\"version\":2", detector.ToJson());
    }

    [Fact]
    public void Other_holds_an_unknown_value_so_it_is_neither_same_nor_different_from_an_unnamed_one()
    {
        // Slots: first column DE, FR, (other); second column DE, FR, ES, (other).
        IReadOnlyList<FeatureSource> sources =
        [
            new("a=DE", "a", FeatureEncoding.OneHot, FeatureKind.Category, "DE"),
            new("a=FR", "a", FeatureEncoding.OneHot, FeatureKind.Category, "FR"),
            new("a=(other)", "a", FeatureEncoding.OneHot, FeatureKind.OtherCategory),
            new("b=DE", "b", FeatureEncoding.OneHot, FeatureKind.Category, "DE"),
            new("b=FR", "b", FeatureEncoding.OneHot, FeatureKind.Category, "FR"),
            new("b=ES", "b", FeatureEncoding.OneHot, FeatureKind.Category, "ES"),
            new("b=(other)", "b", FeatureEncoding.OneHot, FeatureKind.OtherCategory),
        ];
        var groups = CategoryGroup.Find(sources, 64);

        var pair = Assert.Single(SameValuePair.Find(groups, sources));

        Assert.Equal(1, pair.SlotOf(0, 0, 4)); // DE, DE
        Assert.Equal(0, pair.SlotOf(0, 1, 4)); // DE, FR
        Assert.Equal(0, pair.SlotOf(2, 0, 4)); // (other) is not DE: the first column names DE
        Assert.Equal(-1, pair.SlotOf(2, 2, 4)); // (other) may be ES
        Assert.Equal(-1, pair.SlotOf(2, 3, 4)); // both (other)
        Assert.Equal(-1, pair.SlotOf(-1, 0, 4)); // no value
    }

    [Fact]
    public void A_detector_with_a_same_value_column_reads_back_from_json_and_scores_identically()
    {
        var (detector, pipeline) = Fitted();
        var features = pipeline.Transform(Payments(500, seed: 3, Planted));
        var json = detector.ToJson();
        var damaged = JsonNode.Parse(json)!;
        damaged["sameValues"]![0]!["same"]!.AsArray().RemoveAt(0);

        var restored = CoOccurrenceDetector.FromJson(json);

        Assert.Equal(detector.SameValueColumns, restored.SameValueColumns);
        Assert.Equal(detector.ScoresOnly(features), restored.ScoresOnly(features));
        Assert.Throws<InvalidDataException>(() => CoOccurrenceDetector.FromJson(damaged.ToJsonString()));
    }
}
