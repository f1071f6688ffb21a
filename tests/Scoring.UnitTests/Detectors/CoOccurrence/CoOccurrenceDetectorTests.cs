using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Vigil.Scoring.Detectors.Categorical;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Evaluation;
using Vigil.Scoring.Features;
using Vigil.Scoring.UnitTests.Ensemble;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.UnitTests.Detectors.CoOccurrence;

public sealed class CoOccurrenceDetectorTests
{
    private static readonly string[] Merchants = ["grocery", "fuel", "travel", "cash_withdrawal", "electronics"];
    private static readonly string[] Countries = ["DE", "FR", "GB", "US"];
    private static readonly string[] Currencies = ["EUR", "EUR", "GBP", "USD"];

    /// <summary>
    /// Card payments: cash withdrawals only at ATMs, electronics mostly online, the currency follows the country, and
    /// a rare but consistent merchant ("jewelry", 0.5%, in shops). Rows in <paramref name="contradictions"/> are
    /// either a cash withdrawal made online or a country paid in another country's currency: every value on its own is
    /// common.
    /// </summary>
    internal static TypedTable Payments(int rows, int seed, ISet<int>? contradictions = null)
    {
        var random = new Random(seed);
        var text = new StringBuilder("id,amount,merchant,channel,country,currency\n");
        for (var i = 0; i < rows; i++)
        {
            var rare = random.NextDouble() < 0.005;
            var merchant = rare ? "jewelry" : Merchants[random.Next(Merchants.Length)];
            var channel = merchant switch
            {
                "cash_withdrawal" => "atm",
                "electronics" => random.NextDouble() < 0.8 ? "online" : "pos",
                "jewelry" => "pos",
                _ => random.NextDouble() < 0.3 ? "online" : "pos",
            };
            var country = random.Next(Countries.Length);
            var currency = Currencies[country];
            if (contradictions?.Contains(i) == true)
            {
                if (i % 2 == 0) (merchant, channel) = ("cash_withdrawal", "online");
                else currency = Currencies[(country + 2) % Countries.Length];
            }
            var amount = Math.Round(Math.Exp(3 + random.NextDouble() * 2), 2);
            text.Append(CultureInfo.InvariantCulture, $"p-{i},{amount},{merchant},{channel},{Countries[country]},{currency}\n");
        }
        return TableReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text.ToString())), TableReader.CsvMediaType);
    }

    private static readonly HashSet<int> Planted = [.. Enumerable.Range(0, 40).Select(i => 17 + i * 49)];

    private static (CoOccurrenceDetector Detector, FeaturePipeline Pipeline) Fitted()
    {
        var training = Payments(4000, seed: 1);
        var pipeline = FeaturePipeline.Fit(training, new FeaturePipelineOptions { ExcludeColumns = ["id"] });
        return (CoOccurrenceDetector.Fit(pipeline.Transform(training), pipeline.Sources)!, pipeline);
    }

    [Fact]
    public void Planted_contradictions_between_common_values_score_above_every_clean_row()
    {
        var (detector, pipeline) = Fitted();
        var batch = Payments(2000, seed: 2, Planted);
        var labels = Enumerable.Range(0, batch.RowCount).Select(Planted.Contains).ToArray();

        var scores = detector.Score(pipeline.Transform(batch)).Scores;

        Assert.Equal(["merchant", "channel", "country", "currency"], detector.Columns);
        var highestClean = scores.Where((_, r) => !labels[r]).Max();
        var lowestPlanted = scores.Where((_, r) => labels[r]).Min();
        Assert.True(lowestPlanted > highestClean, $"lowest planted {lowestPlanted}, highest clean {highestClean}");
        Assert.Equal(1, ClassificationMetrics.RecallAtK(scores, labels));
    }

    [Fact]
    public void A_rare_value_seen_with_its_usual_partners_is_not_a_contradiction()
    {
        var (detector, pipeline) = Fitted();
        var batch = Payments(2000, seed: 3, Planted);
        var rows = pipeline.Transform(batch);
        var merchant = batch.Columns.Single(c => c.Name == "merchant");
        var jewelry = Enumerable.Range(0, batch.RowCount).Where(r => !Planted.Contains(r) && merchant.GetText(r) == "jewelry").ToList();

        var scores = detector.Score(rows).Scores;

        Assert.NotEmpty(jewelry);
        var lowestPlanted = Planted.Min(r => scores[r]);
        Assert.All(jewelry, r => Assert.True(scores[r] < lowestPlanted / 2, $"jewelry row {r} scored {scores[r]}, planted from {lowestPlanted}"));
    }

    [Fact]
    public void Contributions_name_the_two_contradicting_columns()
    {
        var (detector, pipeline) = Fitted();
        var batch = Payments(100, seed: 4, new HashSet<int> { 10 });

        var result = detector.Score(pipeline.Transform(batch));

        var width = pipeline.FeatureNames.Count;
        var top = Enumerable.Range(0, width).OrderByDescending(f => result.Contributions![10 * width + f]).Take(2)
            .Select(f => pipeline.Sources[f].Column).Order().ToArray();
        Assert.Equal(["channel", "merchant"], top);
    }

    [Fact]
    public void Fewer_than_two_categorical_columns_give_no_detector()
    {
        var table = TypedTable.FromRows(["id", "amount", "channel"], Enumerable.Range(0, 300).Select(i => new[] { $"k{i}", $"{i % 17}.5", i % 3 == 0 ? "pos" : "online" }));
        var pipeline = FeaturePipeline.Fit(table, new FeaturePipelineOptions { ExcludeColumns = ["id"] });

        Assert.Null(CoOccurrenceDetector.Fit(pipeline.Transform(table), pipeline.Sources));
    }

    [Fact]
    public void A_detector_read_back_from_json_scores_identically_and_a_damaged_one_is_rejected()
    {
        var (detector, pipeline) = Fitted();
        var rows = pipeline.Transform(Payments(300, seed: 5, Planted));

        var json = detector.ToJson();
        var restored = CoOccurrenceDetector.FromJson(json);
        var damaged = JsonNode.Parse(json)!;
        damaged["pairs"]![0]!["surprise"]!.AsArray().RemoveAt(0);

        Assert.Equal(detector.ScoresOnly(rows), restored.ScoresOnly(rows));
        Assert.Throws<InvalidDataException>(() => CoOccurrenceDetector.FromJson(damaged.ToJsonString()));
    }

    [Fact]
    public void The_ensemble_weights_the_detector_and_flags_the_planted_contradictions()
    {
        // 3,000 held-out records calibrate: enough that a fresh batch rarely meets a pair of values none of them had.
        var (model, _) = EnsembleTrainer.Train(Payments(15_000, seed: 1), EnsembleTests.Fast);
        var batch = Payments(2000, seed: 6, Planted);

        var scores = model.Score(batch);

        Assert.Contains(CoOccurrenceDetector.DetectorName, model.DetectorNames);
        Assert.True(model.Weights.CoOccurrence > 0, $"weights source {model.Weights.Source}");
        var flagged = Planted.Count(r => scores.Decision(r) != "approve");
        var cleanFlagged = Enumerable.Range(0, batch.RowCount).Count(r => !Planted.Contains(r) && scores.Decision(r) != "approve");
        var w = model.Weights;
        Assert.True(flagged >= 0.9 * Planted.Count, $"{flagged} of {Planted.Count} planted contradictions flagged; weights {w.Statistical} {w.IsolationForest} {w.Autoencoder} {w.Relations} {w.CoOccurrence} {w.Source}; " +
            $"co evidence {string.Join(",", Planted.Take(6).Select(r => scores.DetectorEvidence[CoOccurrenceDetector.DetectorName][r]))}; risk {string.Join(",", Planted.Take(6).Select(r => scores.Risk[r]))} thresholds {model.Thresholds}");
        var clean = Enumerable.Range(0, batch.RowCount).Where(r => !Planted.Contains(r) && scores.Decision(r) != "approve").Take(8).ToList();
        Assert.True(cleanFlagged <= 0.03 * batch.RowCount, $"{cleanFlagged} clean rows flagged " + string.Join(" | ", clean.Select(r => string.Join(",", scores.DetectorEvidence.Select(d => $"{d.Key}={d.Value[r]:0.0}")) + $" risk {scores.Risk[r]:0.0} " + string.Join("/", batch.Columns.Skip(2).Select(c => c.GetText(r))))));
    }

    [Fact]
    public void A_model_document_from_before_the_detector_still_loads_without_it()
    {
        var (model, _) = EnsembleTrainer.Train(Payments(2000, seed: 1), EnsembleTests.Fast);
        var document = JsonNode.Parse(model.ToJson())!.AsObject();
        document.Remove("coOccurrence");
        document["calibrations"]!.AsObject().Remove(CoOccurrenceDetector.DetectorName);

        var old = EnsembleModel.FromJson(document.ToJsonString());
        var restored = EnsembleModel.FromJson(model.ToJson());

        Assert.Null(old.CoOccurrence);
        Assert.DoesNotContain(CoOccurrenceDetector.DetectorName, old.DetectorNames);
        Assert.NotNull(restored.CoOccurrence);
        var batch = Payments(200, seed: 7, Planted);
        Assert.Equal(model.Score(batch).Risk, restored.Score(batch).Risk);
    }
}
