using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Scoring;

/// <summary>Every row's score, downloadable through the gateway: without a model (the batch scored against itself) and with one.</summary>
[Collection(VigilAppCollection.Name)]
public sealed class ScoresReportTests(VigilAppFixture fixture)
{
    private readonly ScoringClient _scoring = new(fixture);

    [Fact]
    public async Task The_scores_report_has_one_row_per_input_row_with_key_risk_decision_and_evidence_per_detector()
    {
        var dataset = $"tests.scores_{Guid.NewGuid():n}"[..28];
        await fixture.RegisterDatasetAsync(dataset, new { keyColumns = new[] { PaymentBatches.KeyColumn } });

        var first = (await fixture.Api.CompleteCsvAsync(dataset, PaymentBatches.Csv(1500, seed: 1, inject: true), "2026-11-19")).RunId;
        var unmodelled = await _scoring.ScoresReportLinesAsync(first);

        Assert.Equal($"row,{PaymentBatches.KeyColumn},risk,decision,evidence_column_tails,top_features", unmodelled[0]);
        Assert.Equal(1500, unmodelled.Length - 1);
        Assert.Equal(Enumerable.Range(0, 1500).Select(PaymentBatches.Id), unmodelled.Skip(1).Select(l => l.Split(',')[1]));
        // The extreme rows are far beyond every other amount: the batch alone must flag them.
        var decisions = unmodelled.Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[1], f => f[3]);
        Assert.All(PaymentBatches.Extreme.Select(PaymentBatches.Id), id => Assert.NotEqual("approve", decisions[id]));

        var version = await _scoring.TrainAsync(dataset, new { runId = first });
        await _scoring.PromoteAsync(dataset, version.GetProperty("version").GetInt32());
        var second = (await fixture.Api.CompleteCsvAsync(dataset, PaymentBatches.Csv(800, seed: 2, inject: true), "2026-11-20")).RunId;
        var modelled = await _scoring.ScoresReportLinesAsync(second);

        var header = modelled[0].Split(',');
        Assert.Equal(800, modelled.Length - 1);
        Assert.Contains("evidence_isolation_forest", header);
        Assert.Contains("evidence_statistical", header);
        var risk = Array.IndexOf(header, "risk");
        Assert.All(modelled.Skip(1), line => Assert.InRange(double.Parse(line.Split(',')[risk], System.Globalization.CultureInfo.InvariantCulture), 0, 100));
    }
}
