using Vigil.Validation.Engine;
using Vigil.Validation.Quality;
using Vigil.Validation.Reconciliation;
using Vigil.Validation.Rules;
using Vigil.Validation.Schema;

namespace Vigil.Validation.Reports;

/// <summary>The validation report (validation.json): everything a person needs to see why a batch passed or not.</summary>
public sealed record ValidationSummary(
    Guid RunId, string Dataset, int DatasetVersion, DateOnly ExecutionDate, string Outcome, long RowCount, IReadOnlyList<string> Columns,
    DqScoreResult Quality, RuleReport Rules, DriftReport Drift, SchemaSnapshot Schema, ReconciliationView? Reconciliation,
    CleaningView? Cleaning, IReadOnlyDictionary<string, string> Reports, DateTimeOffset ValidatedAt);

/// <summary>Reconciliation counts and samples as reported (every defect is in reconciliation.csv).</summary>
public sealed record ReconciliationView(
    int SourceRows, int TargetRows, int MatchedKeys, int MissingInTarget, int UnexpectedInTarget, int DuplicateKeysInSource,
    int DuplicateKeysInTarget, int NullKeyRowsInSource, int NullKeyRowsInTarget, int ChangedRecords,
    IReadOnlyDictionary<string, int> ChangedValuesByColumn, IReadOnlyDictionary<string, int> NullsIntroducedByColumn,
    IReadOnlyList<string> ColumnsOnlyInSource, IReadOnlyList<string> ColumnsOnlyInTarget, double ConsistencyScore, bool Passed,
    IReadOnlyDictionary<string, IReadOnlyList<ReconciliationSample>> Samples)
{
    public static ReconciliationView From(ReconciliationResult r) => new(
        r.SourceRows, r.TargetRows, r.MatchedKeys, r.MissingInTarget, r.UnexpectedInTarget, r.DuplicateKeysInSource, r.DuplicateKeysInTarget,
        r.NullKeyRowsInSource, r.NullKeyRowsInTarget, r.ChangedRecords, r.ChangedValuesByColumn, r.NullsIntroducedByColumn,
        r.ColumnsOnlyInSource, r.ColumnsOnlyInTarget, Math.Round(r.ConsistencyScore, 2), r.Passed,
        r.Samples.ToDictionary(p => p.Key.ToString(), p => p.Value));
}

public sealed record CleaningView(long RowsAfterCleaning, long DuplicatesRemoved, IReadOnlyDictionary<string, long> ImputedByColumn, IReadOnlyDictionary<string, long> OutliersByColumn);

internal static class ValidationSummaryFactory
{
    public static ValidationSummary Create(Guid runId, string dataset, int datasetVersion, DateOnly executionDate, ValidationOutcome outcome,
        IReadOnlyDictionary<string, string> reports) => new(
        runId, dataset, datasetVersion, executionDate, outcome.Blocked ? "blocked" : "validated", outcome.Schema.RowCount,
        [.. outcome.Schema.Columns.Select(c => c.Name)], outcome.Quality, outcome.Rules, outcome.Drift, outcome.Schema,
        outcome.Reconciliation is { } r ? ReconciliationView.From(r) : null,
        outcome.Cleaning is { } c ? new CleaningView(c.Cleaned.RowCount, c.DuplicatesRemoved, c.ImputedByColumn, c.OutliersByColumn) : null,
        reports, DateTimeOffset.UtcNow);
}
