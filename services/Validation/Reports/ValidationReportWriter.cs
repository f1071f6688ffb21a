using System.Text.Json;
using Vigil.Contracts;
using Vigil.Validation.Cleaning;
using Vigil.Validation.Datasets;
using Vigil.Validation.Engine;
using Vigil.Validation.Reconciliation;
using Vigil.Tabular.Tables;

namespace Vigil.Validation.Reports;

/// <summary>Writes a run's reports to the object store and returns the summary that lists them.</summary>
public sealed class ValidationReportWriter(ObjectWriter objects)
{
    public async Task<ValidationSummary> WriteAsync(BatchIngested batch, CompiledDataset dataset, TypedTable table, TypedTable? source,
        ValidationOutcome outcome, CancellationToken cancellationToken)
    {
        var keys = new Dictionary<string, string>
        {
            [ReportKeys.Validation] = ReportKeys.For(batch.Dataset, batch.RunId, "validation.json"),
            [ReportKeys.Defects] = ReportKeys.For(batch.Dataset, batch.RunId, "defects.csv"),
        };
        await objects.PutAsync(keys[ReportKeys.Defects], "text/csv",
            stream => RuleDefectsCsv.Write(outcome.Rules, table, dataset.Definition.KeyColumns, stream), cancellationToken);

        if (outcome.Reconciliation is { } reconciliation && source is not null)
        {
            keys[ReportKeys.Reconciliation] = ReportKeys.For(batch.Dataset, batch.RunId, "reconciliation.csv");
            var options = new ReconciliationOptions { KeyColumns = dataset.Definition.KeyColumns, NumericTolerance = dataset.Definition.ReconciliationTolerance };
            await objects.PutAsync(keys[ReportKeys.Reconciliation], "text/csv",
                stream => ReconciliationDefectsCsv.Write(reconciliation, source, table, options, stream), cancellationToken);
        }

        if (outcome.Cleaning is { } cleaning)
        {
            keys[ReportKeys.Cleaned] = ReportKeys.CleanedNextTo(batch.ObjectKey);
            await objects.PutAsync(keys[ReportKeys.Cleaned], "text/csv", stream => CleanedCsv.Write(cleaning.Cleaned, stream), cancellationToken);
        }

        var summary = ValidationSummaryFactory.Create(batch.RunId, batch.Dataset, dataset.Version, batch.ExecutionDate, outcome, keys);
        await objects.PutAsync(keys[ReportKeys.Validation], "application/json",
            stream => JsonSerializer.Serialize(stream, summary, ValidationJson.Options), cancellationToken);
        return summary;
    }
}
