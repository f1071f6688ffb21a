using System.Globalization;
using System.Text;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Features;
using Vigil.Scoring.Reports;
using Vigil.Scoring.UnitTests.Models;
using Vigil.Tabular.Tables;
using Vigil.Tabular.Writing;

namespace Vigil.Scoring.UnitTests.Reports;

/// <summary>The faster scores report (blocks in parallel, top features without a dictionary per row) writes the same bytes as before.</summary>
public sealed class ScoresReportFormatTests
{
    [Fact]
    public async Task Parallel_blocks_sequential_write_and_the_line_by_line_reference_give_the_same_bytes()
    {
        var (model, _) = EnsembleTrainer.Train(SpillScoringTests.Read(SpillScoringTests.ShopCsv(2_000, seed: 1)), Ensemble.EnsembleTests.Fast);
        // More rows than one block, and not a multiple of it, so block edges are crossed.
        var table = SpillScoringTests.Read(SpillScoringTests.ShopCsv(ScoresReport.BlockRows * 2 + 123, seed: 9, outliers: [1, 40_000]));
        var scores = model.Score(table);

        using var sequential = new MemoryStream();
        ScoresReport.Write(sequential, table, ["id", "merchant"], scores);
        using var parallel = new MemoryStream();
        await ScoresReport.WriteAsync(block => parallel.WriteAsync(block).AsTask(), table, ["id", "merchant"], scores, parallelBlocks: 2, CancellationToken.None);

        var reference = Reference(table, ["id", "merchant"], scores);
        Assert.Equal(reference, Encoding.UTF8.GetString(sequential.ToArray()));
        Assert.Equal(reference, Encoding.UTF8.GetString(parallel.ToArray()));
        Assert.Equal(table.RowCount + 1, reference.Count(c => c == '\n'));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Keys_of_every_type_and_names_that_need_quoting_are_written_as_the_reference_writes_them(bool integerIds)
    {
        // A feature column whose name holds a comma (so a top-features field needs quoting), integer or text ids, and
        // keys that are text with commas, accents and nulls, a timestamp and a boolean.
        byte[] Csv(int rows, int seed, int[]? outliers = null)
        {
            var text = Encoding.UTF8.GetString(SpillScoringTests.ShopCsv(rows, seed, outliers)).Replace("id,amount,", "id,\"amount, usd\",", StringComparison.Ordinal);
            return Encoding.UTF8.GetBytes(integerIds ? text.Replace("\nt-", "\n", StringComparison.Ordinal) : text);
        }
        var (model, _) = EnsembleTrainer.Train(SpillScoringTests.Read(Csv(2_000, seed: 1)), Ensemble.EnsembleTests.Fast);
        var table = SpillScoringTests.Read(Csv(3_000, seed: 4, outliers: [3, 300, 2_999]));
        string[] keys = ["id", "note", "at", "online"];
        var scores = model.Score(table);

        using var written = new MemoryStream();
        ScoresReport.Write(written, table, keys, scores);

        var report = Encoding.UTF8.GetString(written.ToArray());
        Assert.Equal(Reference(table, keys, scores), report);
        Assert.Equal(integerIds ? ColumnType.Integer : ColumnType.String, table["id"].Type);
        Assert.Contains("\"amount, usd", report, StringComparison.Ordinal); // an outlier's top features, quoted
        Assert.Contains(",\"ref ", report, StringComparison.Ordinal); // a note key with a comma, quoted
        Assert.Contains(", é\"", report, StringComparison.Ordinal); // and its accent in UTF-8
    }

    [Fact]
    public void Risks_and_evidence_of_any_value_are_written_as_their_ToString_writes_them()
    {
        // Past a block's edge, with values no model gives (negatives, halves, NaN, infinities, huge) beside ordinary ones.
        var rows = ScoresReport.BlockRows + 300;
        var random = new Random(16);
        double[] oddRisks = [-0.00001, -0.0, 0.00005, 0.000049999999999999996, 1.000030517578125, 99.99995, 1e15, double.NaN, double.NegativeInfinity, double.MaxValue];
        float[] oddEvidence = [-0.00001f, -0f, 12.34565f, 123.45675f, 1048576.5f, 3.4e38f, float.NaN, float.PositiveInfinity, float.Epsilon];
        var risk = new double[rows];
        var a = new float[rows];
        var b = new float[rows];
        for (var row = 0; row < rows; row++)
        {
            risk[row] = random.Next(20) == 0 ? oddRisks[random.Next(oddRisks.Length)] : Math.Round(random.NextDouble() * 100, 4);
            a[row] = random.Next(20) == 0 ? oddEvidence[random.Next(oddEvidence.Length)] : random.NextSingle() * 20;
            b[row] = (float)Math.Pow(10, random.NextDouble() * 16 - 8);
        }
        var ids = Enumerable.Range(0, rows).Select(row => row % 7 == 0 ? $"id, {row}" : $"id-{row}").ToArray();
        var table = Features.Tables.Of(Features.Tables.Strings("id", ids));
        var scores = new EnsembleScores(risk, new double[rows], new DecisionThresholds(50, 80), explanations: null)
        {
            DetectorEvidence = new Dictionary<string, float[]> { ["b"] = b, ["a"] = a },
        };

        using var written = new MemoryStream();
        ScoresReport.Write(written, table, ["id"], scores);

        Assert.Equal(Reference(table, ["id"], scores), Encoding.UTF8.GetString(written.ToArray()));
    }

    [Fact]
    public void Top_features_match_the_dictionary_and_stable_sort_reference_with_ties_negatives_and_nan()
    {
        const int rows = 2_000;
        // Features of 5 source columns, interleaved, so that columns sum several features each.
        string[] columns = ["a", "b", "c", "d", "e"];
        var sources = Enumerable.Range(0, 12).Select(f => new FeatureSource($"f{f}", columns[(f * 7) % 5], FeatureEncoding.Numeric, FeatureKind.Value)).ToArray();
        var random = new Random(3);
        var contributions = new float[rows * sources.Length];
        for (var i = 0; i < contributions.Length; i++)
        {
            contributions[i] = (random.Next(10)) switch
            {
                0 => 0f,
                1 => -random.Next(3),
                2 => float.NaN,
                _ => random.Next(4), // small integers: many exact ties between columns
            };
        }
        var scores = new EnsembleScores(new double[rows], new double[rows], new DecisionThresholds(50, 80), contributions, sources.Length, sources);

        for (var row = 0; row < rows; row++)
        {
            var byColumn = new Dictionary<string, float>();
            for (var f = 0; f < sources.Length; f++)
                byColumn[sources[f].Column] = byColumn.GetValueOrDefault(sources[f].Column) + contributions[row * sources.Length + f];
            var expected = byColumn.OrderByDescending(p => p.Value).Take(3).Where(p => p.Value > 0).Select(p => p.Key).ToArray();
            Assert.Equal(expected, scores.TopFeatures(row));
        }
    }

    /// <summary>The report as it was written before, line by line (kept here as the reference for the faster writer).</summary>
    private static string Reference(TypedTable table, IReadOnlyList<string> keyColumns, EnsembleScores scores)
    {
        var keys = keyColumns.Where(table.HasColumn).Select(name => table[name]).ToArray();
        var detectors = scores.DetectorEvidence.Keys.Order(StringComparer.Ordinal).ToArray();
        var evidence = detectors.Select(d => scores.DetectorEvidence[d]).ToArray();
        var text = new StringBuilder();
        text.Append(string.Join(',', new[] { "row" }.Concat(keys.Select(k => k.Name)).Concat(["risk", "decision"])
            .Concat(detectors.Select(d => $"evidence_{d}")).Append("top_features").Select(CsvField.Quote))).Append('\n');
        for (var row = 0; row < table.RowCount; row++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{row + 1}");
            foreach (var key in keys) text.Append(',').Append(CsvField.Quote(key.IsNull(row) ? "" : key.GetText(row)));
            text.Append(',').Append(scores.Risk[row].ToString("0.####", CultureInfo.InvariantCulture)).Append(',').Append(scores.Decision(row));
            foreach (var values in evidence) text.Append(',').Append(values[row].ToString("0.####", CultureInfo.InvariantCulture));
            text.Append(',').Append(CsvField.Quote(string.Join(' ', scores.TopFeatures(row)))).Append('\n');
        }
        return text.ToString();
    }
}
