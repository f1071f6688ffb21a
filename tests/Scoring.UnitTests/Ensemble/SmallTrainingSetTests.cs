using System.Globalization;
using Vigil.Contracts;
using Vigil.Scoring.Ensemble;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.UnitTests.Ensemble;

/// <summary>A model trained on a first batch of about a hundred rows (the quickstart's), judging the next day's batch.</summary>
public sealed class SmallTrainingSetTests
{
    private const int HugeAmount = 5, BrokenBalance = 17;

    /// <summary>
    /// Card, ATM and transfer payments of 5-250 from 20 accounts, balance_after = balance_before - amount. The next day
    /// (<paramref name="planted"/>) has a payment of 39,000 with consistent balances and a balance 9,000 too high.
    /// </summary>
    private static TypedTable Payments(int rows, int seed, bool planted)
    {
        var random = new Random(seed);
        string[] channels = ["card", "card", "card", "atm", "transfer"];
        var table = new List<string?[]>();
        for (var i = 0; i < rows; i++)
        {
            var amount = Math.Round(5 * Math.Pow(50, random.NextDouble()), 2);
            var before = Math.Round(500 + 2500 * random.NextDouble(), 2);
            var after = Math.Round(before - amount, 2);
            if (planted && i == HugeAmount) (amount, before, after) = (39_000, 40_000, 1_000);
            if (planted && i == BrokenBalance) after = Math.Round(before + 9_000, 2);
            table.Add([$"t-{seed}-{i}", $"a-{random.Next(1, 21):D3}", Text(amount), Text(before), Text(after), channels[random.Next(channels.Length)]]);
        }
        return TypedTable.FromRows(["transaction_id", "account_id", "amount", "balance_before", "balance_after", "channel"], table);
    }

    private static string Text(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    [Fact]
    public void Trained_on_120_rows_the_model_flags_both_planted_records_and_no_ordinary_one()
    {
        int caught = 0, ordinaryFlagged = 0, ordinary = 0;
        var missed = new List<string>();
        for (var seed = 1; seed <= 8; seed++)
        {
            var (model, metrics) = EnsembleTrainer.Train(Payments(120, seed, planted: false), new TrainingRequest { KeyColumns = ["transaction_id"], Seed = seed });
            var next = Payments(40, 1000 + seed, planted: true);

            var scores = model.Score(next);

            Assert.True(metrics.CalibrationRows >= EnsembleTrainer.SmallestCalibration, $"{metrics.CalibrationRows} held-out records");
            for (var row = 0; row < next.RowCount; row++)
            {
                var flagged = scores.Decision(row) != Decisions.Approve;
                if (row is HugeAmount or BrokenBalance)
                {
                    if (flagged) caught++;
                    else missed.Add($"seed {seed} row {row} risk {scores.Risk[row]} thresholds {model.Thresholds}");
                }
                else
                {
                    ordinary++;
                    if (flagged) ordinaryFlagged++;
                }
            }
        }
        Assert.True(caught == 16, $"{caught} of 16 planted records flagged: {string.Join("; ", missed)}");
        Assert.True(ordinaryFlagged <= 0.01 * ordinary, $"{ordinaryFlagged} of {ordinary} ordinary records flagged");
    }

    [Fact]
    public void The_quickstarts_second_day_has_its_two_planted_records_blocked_and_no_other_flagged()
    {
        // As step 7 trains: on the first day's rows that pass the dataset's rules (a missing account, a negative
        // amount, a broken balance and a duplicate id fail them).
        var day1 = Example("transactions.csv", "text/csv");
        var (model, _) = EnsembleTrainer.Train(day1, new TrainingRequest { KeyColumns = ["transaction_id"], ExcludedRows = new HashSet<int> { 10, 25, 40, 59, 60 } });
        var day2 = Example("transactions-day2.ndjson", "application/x-ndjson");

        var scores = model.Score(day2);

        var flagged = Enumerable.Range(0, day2.RowCount).Where(r => scores.Decision(r) != Decisions.Approve)
            .ToDictionary(r => day2["transaction_id"].GetText(r), r => scores.Decision(r));
        Assert.Equal(new Dictionary<string, string> { ["t-1006"] = Decisions.Block, ["t-1018"] = Decisions.Block }, flagged);
    }

    private static TypedTable Example(string file, string mediaType)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Aspire.sln"))) root = Path.GetDirectoryName(root)!;
        using var content = File.OpenRead(Path.Combine(root, "examples", file));
        return TableReader.Read(content, mediaType);
    }

    [Fact]
    public void Trimming_a_small_training_batch_leaves_out_at_least_one_record()
    {
        var (_, metrics) = EnsembleTrainer.Train(Payments(120, seed: 3, planted: false), new TrainingRequest { KeyColumns = ["transaction_id"] });

        Assert.Equal(1, metrics.TrimmedRows);
    }
}
