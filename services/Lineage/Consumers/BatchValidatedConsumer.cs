using MassTransit;
using Vigil.Contracts;
using Vigil.Lineage.OpenLineage;
using Vigil.Lineage.Storage;

namespace Vigil.Lineage.Consumers;

public sealed class BatchValidatedConsumer(RunTimelineStore timeline, ValidationReports reports, OpenLineageMapper openLineage) : IConsumer<BatchValidated>
{
    public async Task Consume(ConsumeContext<BatchValidated> context)
    {
        var m = context.Message;
        var columns = await reports.ReadColumnsAsync(m.ReportKey, context.CancellationToken);
        await timeline.RecordAsync(new RunUpdate(m.RunId, m.Dataset, m.Timing, RunStatus.Running)
        {
            ExecutionDate = m.ExecutionDate,
            ObjectKey = m.ObjectKey,
            RowCount = m.RowCount,
            Reports = m.ReportKeys.Count > 0 ? m.ReportKeys : new Dictionary<string, string> { [ReportKinds.Validation] = m.ReportKey },
            Validation = new ValidationFacts(m.DqScore, m.DqDimensions, m.RulesFailed, m.RulesChecked, m.Drift, m.Reconciliation, m.DatasetVersion),
        }, run => openLineage.ForValidated(m, run, columns), context.CancellationToken);
    }
}
