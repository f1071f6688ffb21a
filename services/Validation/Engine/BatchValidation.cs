using Vigil.Validation.Cleaning;
using Vigil.Validation.Datasets;
using Vigil.Validation.Quality;
using Vigil.Validation.Reconciliation;
using Vigil.Validation.Rules;
using Vigil.Validation.Schema;
using Vigil.Tabular.Tables;

namespace Vigil.Validation.Engine;

/// <summary>Everything validation concluded about one batch (or one source/target pair).</summary>
public sealed record ValidationOutcome(
    SchemaSnapshot Schema,
    DriftReport Drift,
    bool Blocked,
    RuleReport Rules,
    DqScoreResult Quality,
    ReconciliationResult? Reconciliation,
    CleaningResult? Cleaning);

/// <summary>
/// The validation of one batch, with no I/O: profile the schema and compare it with the accepted one, apply the
/// rules, reconcile against the source when there is one, score the data quality and clean when asked.
/// </summary>
public static class BatchValidation
{
    public static ValidationOutcome Run(CompiledDataset dataset, TypedTable batch, TypedTable? source, SchemaSnapshot? acceptedSchema,
        DateOnly executionDate, long? previousRowCount)
    {
        var definition = dataset.Definition;
        var schema = SchemaProfiler.Profile(batch);
        var baseline = acceptedSchema ?? dataset.ExpectedSchema;
        var drift = baseline is null ? new DriftReport([]) : DriftDetector.Compare(baseline, schema);
        var blocked = drift.HasBreaking && definition.DriftPolicy == DriftPolicy.Block;

        var rules = RuleEngine.Evaluate(batch, dataset.Rules, new RuleContext
        {
            ExecutionDate = executionDate,
            KeyColumns = definition.KeyColumns,
            PreviousRowCount = previousRowCount,
            CollectFailingRows = true,
        });
        var reconciliation = source is null
            ? null
            : ReconciliationEngine.Reconcile(source, batch, new ReconciliationOptions
            {
                KeyColumns = definition.KeyColumns,
                NumericTolerance = definition.ReconciliationTolerance,
            });
        var quality = DqScore.Compute(rules, batch, definition.KeyColumns, reconciliationConsistency: reconciliation?.ConsistencyScore);
        var cleaning = definition.Cleaning && !blocked ? DatasetCleaner.Clean(batch, new CleaningOptions { ExcludedColumns = definition.KeyColumns }) : null;
        return new ValidationOutcome(schema, drift, blocked, rules, quality, reconciliation, cleaning);
    }
}
