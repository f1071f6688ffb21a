using System.Globalization;
using System.Text;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Reports;
using Vigil.Scoring.UnitTests.Ensemble;
using Vigil.Tabular.Spill;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.UnitTests.Models;

/// <summary>Scoring a batch read from Validation's columnar spill gives exactly what scoring its parsed CSV gives.</summary>
public sealed class SpillScoringTests
{
    internal static readonly SpillOrigin Origin = new("raw/shop.orders/2026-01-02/run.csv", TableReader.CsvMediaType, ',');

    [Fact]
    public void Spill_path_and_csv_path_give_the_same_risk_decisions_evidence_top_features_and_report()
    {
        var (model, _) = EnsembleTrainer.Train(Read(ShopCsv(2_000, seed: 1)), EnsembleTests.Fast);
        var csv = ShopCsv(1_500, seed: 2, outliers: [5, 77, 901]);
        var fromCsv = Read(csv);
        var fromSpill = ThroughSpill(fromCsv);

        var expected = model.Score(fromCsv);
        var actual = model.Score(fromSpill);

        Assert.Equal(expected.Risk.Select(BitConverter.DoubleToInt64Bits), actual.Risk.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(Enumerable.Range(0, 1_500).Select(expected.Decision), Enumerable.Range(0, 1_500).Select(actual.Decision));
        Assert.Equal(Enumerable.Range(0, 1_500).Select(r => string.Join(' ', expected.TopFeatures(r))),
            Enumerable.Range(0, 1_500).Select(r => string.Join(' ', actual.TopFeatures(r))));
        Assert.Equal(expected.DetectorEvidence.Keys.Order(), actual.DetectorEvidence.Keys.Order());
        foreach (var (detector, values) in expected.DetectorEvidence) Assert.Equal(values, actual.DetectorEvidence[detector]);
        Assert.Equal(Report(fromCsv, expected), Report(fromSpill, actual));
        // The injected outliers are found either way (the comparison above is not between two empty results).
        Assert.Contains(expected.Decision(77), new[] { "review", "block" });
    }

    [Fact]
    public void Feature_drift_is_the_same_from_the_spill()
    {
        var (model, _) = EnsembleTrainer.Train(Read(ShopCsv(2_000, seed: 1)), EnsembleTests.Fast);
        var fromCsv = Read(ShopCsv(1_000, seed: 3, amountScale: 1.5));

        var expected = model.Reference!.Psi(model.Pipeline.Transform(fromCsv));
        var actual = model.Reference!.Psi(model.Pipeline.Transform(ThroughSpill(fromCsv)));

        Assert.Equal(expected, actual);
        Assert.Contains(expected.Values, psi => psi > 0.01);
    }

    internal static byte[] ShopCsv(int rows, int seed, int[]? outliers = null, double amountScale = 1)
    {
        var random = new Random(seed);
        string[] merchants = ["grocer", "fuel", "travel", "books", "cinema"];
        var text = new StringBuilder("id,amount,merchant,city,at,online,note\n");
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < rows; i++)
        {
            var amount = Math.Round((10 + random.NextDouble() * 90) * amountScale, 2);
            if (outliers?.Contains(i) == true) amount = Math.Round(amount * 40 + 5_000, 2);
            var note = random.Next(7) == 0 ? "" : $"\"ref {random.Next(100_000)}, é\"";
            text.Append(CultureInfo.InvariantCulture,
                $"t-{i},{amount},{merchants[random.Next(merchants.Length)]},city{random.Next(400)},{start.AddMinutes(random.Next(60 * 24 * 7)):O},{(random.Next(3) == 0 ? "true" : "false")},{note}\n");
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    internal static TypedTable Read(byte[] csv) => TableReader.Read(new MemoryStream(csv), TableReader.CsvMediaType);

    internal static byte[] Spill(TypedTable table)
    {
        using var stream = new MemoryStream();
        TableSpill.Write(stream, table, Origin);
        return stream.ToArray();
    }

    private static TypedTable ThroughSpill(TypedTable table)
    {
        var bytes = Spill(table);
        return TableSpill.Read(new MemoryStream(bytes), bytes.Length, Origin);
    }

    private static byte[] Report(TypedTable table, EnsembleScores scores)
    {
        using var stream = new MemoryStream();
        ScoresReport.Write(stream, table, ["id"], scores);
        return stream.ToArray();
    }
}
