using Vigil.Contracts;
using Vigil.Validation.Engine;
using Vigil.Validation.Reports;
using Vigil.Validation.Storage;

namespace Vigil.Validation.Consumers;

/// <summary>The messages a validated batch turns into: passed on to scoring, blocked by schema drift, or failed with a reason.</summary>
public static class ValidationMessages
{
    public static BatchValidated Validated(BatchIngested batch, ValidationInput input, ValidationOutcome outcome, ValidationSummary summary, StageTiming timing) => new()
    {
        RunId = batch.RunId,
        Dataset = batch.Dataset,
        ExecutionDate = batch.ExecutionDate,
        ObjectKey = batch.ObjectKey,
        RowCount = input.Table.RowCount,
        Columns = summary.Columns,
        ReportKey = summary.Reports[ReportKinds.Validation],
        ReportKeys = summary.Reports,
        DqScore = outcome.Quality.Score,
        DqDimensions = outcome.Quality.Dimensions,
        RulesChecked = outcome.Rules.Results.Count,
        RulesFailed = outcome.Rules.Results.Count(r => !r.Passed),
        Drift = [.. outcome.Drift.Notable.Select(f => f.Detail)],
        HasBreakingDrift = outcome.Drift.HasBreaking,
        Reconciliation = outcome.Reconciliation is { } r
            ? new ReconciliationSummary(r.SourceRows, r.TargetRows, r.MissingInTarget, r.UnexpectedInTarget, r.DuplicateKeysInSource,
                r.DuplicateKeysInTarget, r.ChangedRecords, r.NullsIntroducedByColumn.Values.Sum(), Math.Round(r.ConsistencyScore, 2))
            : null,
        DatasetVersion = input.Dataset.Version,
        ContentType = batch.ContentType,
        CsvDelimiter = input.Delimiter,
        KeyColumns = input.Dataset.Definition.KeyColumns,
        Timing = timing,
    };

    /// <summary>The run stops at validation: breaking drift under a policy that blocks it, with how to accept the new schema.</summary>
    public static RunFailed Blocked(BatchIngested batch, ValidationInput input, ValidationOutcome outcome, ValidationSummary summary, StageTiming timing)
    {
        var breaking = outcome.Drift.Findings.Where(f => f.Breaking).Select(f => f.Detail);
        return new RunFailed
        {
            RunId = batch.RunId,
            Dataset = batch.Dataset,
            Stage = Stages.Validate,
            Reason = $"Breaking schema drift under policy '{input.Dataset.Definition.DriftPolicy.ToString().ToLowerInvariant()}': {string.Join("; ", breaking)}"
                + $". If the new schema is right, accept it: POST /api/datasets/{batch.Dataset}/schema/accept {{\"runId\": \"{batch.RunId}\"}}.",
            Timing = timing,
            ReportKeys = summary.Reports,
        };
    }

    public static RunFailed Failed(BatchIngested batch, DateTimeOffset started, string reason) => new()
    {
        RunId = batch.RunId,
        Dataset = batch.Dataset,
        Stage = Stages.Validate,
        Reason = reason,
        Timing = new StageTiming(Stages.Validate, started, DateTimeOffset.UtcNow),
    };
}
