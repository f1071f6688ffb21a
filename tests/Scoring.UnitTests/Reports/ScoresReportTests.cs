using System.Text;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Reports;
using Vigil.Scoring.UnitTests.Ensemble;

namespace Vigil.Scoring.UnitTests.Reports;

public sealed class ScoresReportTests
{
    [Fact]
    public void Every_row_gets_a_line_with_its_key_risk_decision_and_each_weighted_detectors_evidence()
    {
        var (model, _) = EnsembleTrainer.Train(EnsembleTests.Orders(800, seed: 1, outliers: []), EnsembleTests.Fast);
        var batch = EnsembleTests.Orders(300, seed: 2, outliers: [7]);
        var scores = model.Score(batch);

        using var stream = new MemoryStream();
        ScoresReport.Write(stream, batch, ["id"], scores);
        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var header = lines[0].Split(',');
        Assert.Equal(["row", "id", "risk", "decision"], header[..4]);
        Assert.Equal("top_features", header[^1]);
        var detectors = header.Where(h => h.StartsWith("evidence_", StringComparison.Ordinal)).Select(h => h["evidence_".Length..]).ToHashSet();
        Assert.Equal(model.DetectorNames.Where(n => model.Weights.For(n) > 0).ToHashSet(), detectors);
        Assert.Equal(301, lines.Length);
        var outlier = lines[8].Split(',');
        Assert.Equal(("8", "o-7"), (outlier[0], outlier[1]));
        Assert.Equal(scores.Decision(7), outlier[3]);
        Assert.Equal(scores.Risk[7], double.Parse(outlier[2], System.Globalization.CultureInfo.InvariantCulture), 3);
    }
}
