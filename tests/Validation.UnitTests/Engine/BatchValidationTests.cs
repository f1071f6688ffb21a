using Vigil.Validation.Datasets;
using Vigil.Validation.Engine;
using Vigil.Validation.Reconciliation;
using Vigil.Validation.UnitTests.Reconciliation;
using static Vigil.Validation.UnitTests.Reconciliation.Tables;

namespace Vigil.Validation.UnitTests.Engine;

public sealed class BatchValidationTests
{
    private static readonly DateOnly Day = new(2026, 1, 1);

    [Fact]
    public void A_reconciliation_run_beside_the_rules_reports_what_the_engine_finds_alone()
    {
        var data = GeneratedReconciliation.Create(rows: 40_000, seed: 5);
        var dataset = Dataset(GeneratedReconciliation.Options.KeyColumns);

        var outcome = BatchValidation.Run(dataset, data.Target, data.Source, acceptedSchema: null, Day, previousRowCount: null);
        var options = new ReconciliationOptions
        {
            KeyColumns = GeneratedReconciliation.Options.KeyColumns,
            NumericTolerance = dataset.Definition.ReconciliationTolerance,
        };
        var alone = ReconciliationEngine.Reconcile(data.Source, data.Target, options);

        Assert.NotNull(outcome.Reconciliation);
        Assert.Equal(alone.ConsistencyScore, outcome.Reconciliation.ConsistencyScore);
        Assert.Equal(alone.DefectCount, outcome.Reconciliation.DefectCount);
        Assert.Equal(alone.MatchedKeys, outcome.Reconciliation.MatchedKeys);
        Assert.Equal(DefectsCsv(alone, data, options), DefectsCsv(outcome.Reconciliation, data, options));
    }

    [Fact]
    public void A_reconciliation_that_is_not_possible_throws_its_own_exception_not_an_aggregate()
    {
        var error = Assert.Throws<ReconciliationException>(() =>
            BatchValidation.Run(Dataset(["id"]), Of("key,v", "1,a"), Of("id,v", "1,a"), acceptedSchema: null, Day, previousRowCount: null));

        Assert.Equal("Key column 'id' is missing from the target.", error.Message);
    }

    private static byte[] DefectsCsv(ReconciliationResult result, GeneratedReconciliation data, ReconciliationOptions options)
    {
        using var csv = new MemoryStream();
        ReconciliationDefectsCsv.Write(result, data.Source, data.Target, options, csv);
        return csv.ToArray();
    }

    private static CompiledDataset Dataset(IReadOnlyList<string> keys)
    {
        var (dataset, errors) = CompiledDataset.Compile(new DatasetDefinition { Name = "tests.reconcile", KeyColumns = [.. keys] }, 1);
        Assert.Empty(errors);
        return dataset!;
    }
}
