using MassTransit;
using Vigil.Contracts;
using Vigil.ServiceDefaults.Memory;
using Vigil.ServiceDefaults.Messaging;
using Vigil.ServiceDefaults.Telemetry;
using Vigil.Validation.Engine;
using Vigil.Validation.Reconciliation;
using Vigil.Validation.Reports;
using Vigil.Validation.Storage;

namespace Vigil.Validation.Consumers;

/// <summary>
/// Validates an ingested batch: load what it needs, run <see cref="BatchValidation"/>, hand the outcome to the report
/// writer, and pass the run on — or fail it with the reason when the batch cannot be read or breaking drift is blocked.
/// </summary>
public sealed partial class BatchIngestedConsumer(
    ValidationInputLoader inputs, ValidationReportWriter reports, BatchSpills spills, IdleMemoryRelease memory, ILogger<BatchIngestedConsumer> logger)
    : IConsumer<BatchIngested>
{
    public async Task Consume(ConsumeContext<BatchIngested> context)
    {
        var batch = context.Message;
        var started = DateTimeOffset.UtcNow;
        var steps = new StageSteps();
        var (input, failure) = await inputs.LoadAsync(batch, context.CancellationToken);
        if (input is null)
        {
            await FailAsync(context, started, failure ?? "The batch could not be loaded.");
            return;
        }
        steps.Done(batch.ReconciliationSource is null ? "read" : "read both sides");
        try
        {
            await ValidateAsync(context, input, started, steps);
        }
        finally
        {
            memory.AfterWork();
        }
    }

    private async Task ValidateAsync(ConsumeContext<BatchIngested> context, ValidationInput input, DateTimeOffset started, StageSteps steps)
    {
        var batch = context.Message;
        // Scoring reads these typed columns instead of parsing the raw object again; written while the batch is validated.
        await using var spill = spills.Begin(new(batch.ObjectKey, batch.ContentType, input.Delimiter), input.Table, context.CancellationToken);

        ValidationOutcome outcome;
        try
        {
            outcome = BatchValidation.Run(input.Dataset, input.Table, input.Source, input.Accepted?.Snapshot, batch.ExecutionDate, input.PreviousRowCount);
        }
        catch (ReconciliationException e)
        {
            await FailAsync(context, started, $"Reconciliation is not possible: {e.Message}");
            return;
        }
        steps.Done("validate");

        var summary = await reports.WriteAsync(batch, input, outcome, context.CancellationToken);
        steps.Done("reports");
        if (outcome.Blocked)
        {
            LogBlocked(logger, batch.RunId, batch.Dataset);
            await context.PublishBoundedAsync(ValidationMessages.Blocked(batch, input, outcome, summary, Timing(started, input)));
            return;
        }
        // The stage ends when the spill is in the object store too: Scoring cannot start before.
        var columnsKey = await spill.HandOverAsync();
        steps.Done("spill stored");
        LogSteps(logger, batch.RunId, input.Table.RowCount, (long)steps.TotalMilliseconds, steps);
        await context.PublishBoundedAsync(ValidationMessages.Validated(batch, input, outcome, summary, Timing(started, input)) with { ColumnsKey = columnsKey });
    }

    private static StageTiming Timing(DateTimeOffset started, ValidationInput input) =>
        new(Stages.Validate, started, DateTimeOffset.UtcNow, input.Table.RowCount, Environment.WorkingSet);

    private async Task FailAsync(ConsumeContext<BatchIngested> context, DateTimeOffset started, string reason)
    {
        LogRejected(logger, context.Message.RunId, reason);
        await context.PublishBoundedAsync(ValidationMessages.Failed(context.Message, started, reason));
    }

    [LoggerMessage(LogLevel.Information, "Run {RunId} validated: {Rows} rows in {Milliseconds} ms: {Steps}")]
    private static partial void LogSteps(ILogger logger, Guid runId, int rows, long milliseconds, StageSteps steps);

    [LoggerMessage(LogLevel.Warning, "Run {RunId} rejected by validation: {Reason}")]
    private static partial void LogRejected(ILogger logger, Guid runId, string reason);

    [LoggerMessage(LogLevel.Warning, "Run {RunId} of {Dataset} blocked by breaking schema drift")]
    private static partial void LogBlocked(ILogger logger, Guid runId, string dataset);
}
