using System.Globalization;
using System.Text;

namespace Vigil.Chaos;

/// <summary>
/// The batches of a chaos run: spread over a few datasets, each with its own execution date (so every batch is a run of
/// its own and a second run of one date is a duplicate), and each with exactly one row that breaks the amount rule, so
/// every completed run raises exactly one alert.
/// </summary>
public static class ChaosBatches
{
    public const string Header = "transaction_id,account_id,amount,booked_at";
    public const decimal RuleMaximum = 1000;

    public static IReadOnlyList<SubmittedBatch> Create(string datasetPrefix, ChaosOptions options)
    {
        var random = new Random(20261202);
        var start = new DateOnly(2020, 1, 1);
        return [.. Enumerable.Range(0, options.Batches).Select(i =>
            new SubmittedBatch(i, Dataset(datasetPrefix, i % options.Datasets), start.AddDays(i), $"chaos-{datasetPrefix}-{i}",
                Csv(i, options.RowsPerBatch, random)))];
    }

    public static string Dataset(string prefix, int index) => $"{prefix}_{index}";

    private static string Csv(int batch, int rows, Random random)
    {
        var csv = new StringBuilder(Header).Append('\n');
        var offending = random.Next(rows);
        for (var row = 0; row < rows; row++)
        {
            var amount = row == offending ? RuleMaximum * 5 : Math.Round((decimal)(random.NextDouble() * 200 + 5), 2);
            csv.Append(CultureInfo.InvariantCulture, $"b{batch}-t{row},a-{random.Next(20)},{amount},2026-11-{1 + row % 28:00}T10:{row % 60:00}:00Z\n");
        }
        return csv.ToString();
    }
}
