using System.Globalization;
using System.Text.Json;
using Vigil.IntegrationTests.Infrastructure;
using Vigil.IntegrationTests.Scoring;

namespace Vigil.IntegrationTests.Dashboard;

/// <summary>
/// A payments dataset with two warning rules whose failures are injected (amounts 40 times too large, fees that break
/// their relation to the amount), submitted through the API; the expected failing counts are read off the CSV itself.
/// </summary>
internal static class DashboardData
{
    public const string AmountRule = "amount_below_1000";
    public const string FeeRule = "fee_at_most_10_percent";

    public static string NewDataset(string prefix) => $"ui.{prefix}_{Guid.NewGuid():n}"[..24];

    public static Task RegisterAsync(VigilAppFixture fixture, string dataset) => fixture.RegisterDatasetAsync(dataset, new
    {
        keyColumns = new[] { PaymentBatches.KeyColumn },
        rules = new object[]
        {
            new { name = AmountRule, kind = "range", column = "amount", min = 0, max = 1000, severity = "warning" },
            new { name = FeeRule, kind = "expression", expression = "fee <= amount * 0.1", severity = "warning" },
        },
    });

    /// <summary>Failing rows per rule, counted from the batch text.</summary>
    public static IReadOnlyDictionary<string, int> ExpectedFailures(string csv)
    {
        var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(',')).ToList();
        double Amount(string[] r) => double.Parse(r[2], CultureInfo.InvariantCulture);
        double Fee(string[] r) => double.Parse(r[3], CultureInfo.InvariantCulture);
        return new Dictionary<string, int>
        {
            [AmountRule] = rows.Count(r => Amount(r) > 1000),
            [FeeRule] = rows.Count(r => Fee(r) > Amount(r) * 0.1 + 1e-9),
        };
    }

    /// <summary>Submits a 1,000-row batch with injected defects and anomalies and waits for its run to end; the run as the API shows it.</summary>
    public static async Task<(Guid RunId, Run Run, string Csv)> SubmitAsync(VigilAppFixture fixture, string dataset, int seed = 7)
    {
        var csv = PaymentBatches.Csv(1000, seed, inject: true);
        var runId = (await fixture.Api.CompleteCsvAsync(dataset, csv, "2026-12-01", TimeSpan.FromSeconds(120))).RunId;
        // Scoring's decision counts land on the run a moment after validation's summary.
        var run = await fixture.Api.PollRunAsync(runId, r => r.DecisionCounts is not null, TimeSpan.FromSeconds(60));
        return (runId, run, csv);
    }

    public static long Decisions(Run run, string decision) => run.DecisionCounts!.GetValueOrDefault(decision);
}
