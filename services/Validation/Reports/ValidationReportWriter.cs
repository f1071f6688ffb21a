using System.Text.Json;
using Vigil.Contracts;
using Vigil.Tabular.Tables;
using Vigil.Validation.Cleaning;
using Vigil.Validation.Datasets;
using Vigil.Validation.Engine;
using Vigil.Validation.Reconciliation;
using Vigil.Validation.Storage;

namespace Vigil.Validation.Reports;

/// <summary>
/// Writes a run's reports to the object store, records the run (and the schema baseline it advances to), and returns
/// the summary that lists the reports.
/// </summary>
public sealed class ValidationReportWriter(ObjectWriter objects, SchemaStore schemas, ValidationRunStore validationRuns)
{
    public async Task<ValidationSummary> WriteAsync(BatchIngested batch, ValidationInput input, ValidationOutcome outcome, CancellationToken cancellationToken)
    {
        var summary = await WriteReportsAsync(batch, input.Dataset, input.Table, input.Source, outcome, cancellationToken);
        // The version of the baseline the batch was compared with, or the one it became.
        var schemaVersion = outcome.AdvancesBaseline
            ? await schemas.AcceptAsync(batch.Dataset, outcome.Schema, batch.RunId, cancellationToken)
            : input.Accepted?.Version;
        await validationRuns.SaveAsync(summary, schemaVersion, cancellationToken);
        return summary;
    }

    private async Task<ValidationSummary> WriteReportsAsync(BatchIngested batch, CompiledDataset dataset, TypedTable table, TypedTable? source,
        ValidationOutcome outcome, CancellationToken cancellationToken)
    {
        var keys = new Dictionary<string, string>
        {
            [ReportKinds.Validation] = ReportKeys.For(batch.Dataset, batch.RunId, "validation.json"),
            [ReportKinds.Defects] = ReportKeys.For(batch.Dataset, batch.RunId, "defects.csv"),
        };
        await objects.PutAsync(keys[ReportKinds.Defects], "text/csv",
            stream => RuleDefectsCsv.Write(outcome.Rules, table, dataset.Definition.KeyColumns, stream), cancellationToken);

        if (outcome.Reconciliation is { } reconciliation && source is not null)
        {
            keys[ReportKinds.Reconciliation] = ReportKeys.For(batch.Dataset, batch.RunId, "reconciliation.csv");
            var options = new ReconciliationOptions { KeyColumns = dataset.Definition.KeyColumns, NumericTolerance = dataset.Definition.ReconciliationTolerance };
            await objects.PutAsync(keys[ReportKinds.Reconciliation], "text/csv",
                stream => ReconciliationDefectsCsv.Write(reconciliation, source, table, options, stream), cancellationToken);
        }

        if (outcome.Cleaning is { } cleaning)
        {
            keys[ReportKinds.Cleaned] = ReportKeys.CleanedNextTo(batch.ObjectKey);
            await objects.PutAsync(keys[ReportKinds.Cleaned], "text/csv", stream => CleanedCsv.Write(cleaning.Cleaned, stream), cancellationToken);
        }

        var summary = ValidationSummaryFactory.Create(batch.RunId, batch.Dataset, dataset.Version, batch.ExecutionDate, outcome, keys);
        await objects.PutAsync(keys[ReportKinds.Validation], "application/json",
            stream => JsonSerializer.Serialize(stream, summary, ValidationJson.Options), cancellationToken);
        return summary;
    }
}
