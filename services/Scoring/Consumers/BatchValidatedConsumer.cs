using MassTransit;
using Vigil.Contracts;

namespace Vigil.Scoring.Consumers;

/// <summary>
/// Scores a validated batch. Until detectors and models exist this stage passes the batch through with no anomalies,
/// and says so in <see cref="BatchScored.Device"/>, so the run still completes and is timed end to end.
/// </summary>
public sealed class BatchValidatedConsumer : IConsumer<BatchValidated>
{
    public const string PassThroughDevice = "none (no model: pass-through)";

    public Task Consume(ConsumeContext<BatchValidated> context)
    {
        var batch = context.Message;
        var started = DateTimeOffset.UtcNow;
        return context.Publish(new BatchScored
        {
            RunId = batch.RunId,
            Dataset = batch.Dataset,
            ExecutionDate = batch.ExecutionDate,
            RowCount = batch.RowCount,
            AnomalyCount = 0,
            DecisionCounts = new Dictionary<string, long> { [Decisions.Approve] = batch.RowCount },
            Device = PassThroughDevice,
            DqScore = batch.DqScore,
            RulesFailed = batch.RulesFailed,
            HasBreakingDrift = batch.HasBreakingDrift,
            ReportKeys = batch.ReportKeys,
            Timing = new StageTiming(Stages.Score, started, DateTimeOffset.UtcNow, batch.RowCount),
        });
    }
}
