using Vigil.Tabular.Tables;
using Vigil.Validation.Cleaning;
using Vigil.Validation.Datasets;
using Vigil.Validation.Quality;
using Vigil.Validation.Reconciliation;
using Vigil.Validation.Rules;
using Vigil.Validation.Schema;

namespace Vigil.Validation.Engine;

/// <summary>Everything validation concluded about one batch (or one source/target pair).</summary>
public sealed record ValidationOutcome(
    SchemaSnapshot Schema,
    DriftReport Drift,
    bool Blocked,
    bool AdvancesBaseline,
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
        var blocked = drift.HasBreaking && definition.DriftPolicy is DriftPolicy.Block or DriftPolicy.Evolve;
        var advances = !blocked && AdvancesBaseline(definition.DriftPolicy, baseline, drift, schema);

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
        return new ValidationOutcome(schema, drift, blocked, advances, rules, quality, reconciliation, cleaning);
    }

    /// <summary>
    /// Whether a batch that was not blocked becomes the dataset's baseline: when there is none yet; when the baseline is the
    /// declared expected schema, or a profile of fewer rows than <see cref="DriftOptions.MinRowsForProfileShift"/>, and the
    /// batch matches it exactly with more rows (its measured profile then refines the baseline); and, under
    /// <see cref="DriftPolicy.Evolve"/> only, when it brings additive or compatible changes. Otherwise the baseline stays until
    /// a user accepts a run's schema or resets it, so one stray batch never redefines what "normal" is.
    /// </summary>
    public static bool AdvancesBaseline(DriftPolicy policy, SchemaSnapshot? baseline, DriftReport drift, SchemaSnapshot batch)
    {
        if (baseline is null) return true;
        var thin = baseline.Source == SchemaSource.Declared
            || (baseline.RowCount < DriftOptions.Default.MinRowsForProfileShift && batch.RowCount > baseline.RowCount);
        if (thin && drift.Findings.Count == 0) return true;
        return policy == DriftPolicy.Evolve && drift.Findings.Any(f => f.Kind != DriftKind.ProfileShift);
    }
}
