using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;
using Vigil.Alerting.Alerts;
using Vigil.Alerting.Policies;
using Vigil.Alerting.Storage;
using Vigil.Contracts;
using Vigil.ServiceDefaults.Messaging;

namespace Vigil.Alerting.Runs;

/// <summary>
/// Every <c>Alerting:StuckRunScanInterval</c>, finds runs still open longer than a policy's
/// <c>run_not_completed_within</c>, marks them stuck and alerts — once per run and policy, however many scans see it.
/// Runs open past <c>Alerting:RunDeadline</c> are failed: <c>RunFailed</c> goes on the bus with the reason, so
/// Lineage, Alerting and the API agree that the run ended.
/// </summary>
public sealed partial class StuckRunSweeper(
    PolicyStore policies, TrackedRunStore runs, AlertPipeline pipeline, AlertResolver resolver, IBus bus, IOptions<AlertingOptions> options, TimeProvider time,
    ILogger<StuckRunSweeper> logger) : BackgroundService
{
    /// <summary>Most overdue runs handled per policy and scan; the rest wait for the next scan.</summary>
    private const int RunsPerScan = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.StuckRunScanInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or RedisException or TimeoutException)
            {
                LogScanFailed(logger, e);
            }
            try
            {
                await FailPastDeadlineAsync(stoppingToken);
            }
            catch (Exception e) when (TransientFailures.IsTransient(e) || e is OperationCanceledException && !stoppingToken.IsCancellationRequested)
            {
                LogScanFailed(logger, e);
            }
        }
    }

    /// <summary>One scan; returns how many stuck alerts it stored.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var stored = 0;
        foreach (var policy in await policies.WatchingForStuckRunsAsync(cancellationToken))
        {
            var within = policy.Definition.Conditions.Single(c => c.Kind == ConditionKinds.RunNotCompletedWithin).Within!.Value;
            foreach (var run in await runs.OverdueAsync(policy.Definition.Dataset, within, policy.Id, RunsPerScan, cancellationToken))
            {
                await runs.MarkStuckAsync(run.RunId, cancellationToken);
                LogStuck(logger, run.RunId, run.Dataset, run.StartedAt, policy.Definition.Name);
                var facts = RunFacts.Stuck(run.RunId, run.Dataset, run.ExecutionDate, run.StartedAt, run.Now);
                var raised = await pipeline.RaiseAsync(facts, [policy], cancellationToken);
                // The run may have completed since it was read as overdue; then its completion found no stuck alert to resolve.
                if (raised > 0) await resolver.ResolveIfCompletedAsync(run.RunId, run.Dataset, run.ExecutionDate, cancellationToken);
                stored += raised;
            }
        }
        return stored;
    }

    /// <summary>Fails the runs open past the deadline; returns how many.</summary>
    public async Task<int> FailPastDeadlineAsync(CancellationToken cancellationToken)
    {
        var deadline = options.Value.RunDeadline;
        var failed = 0;
        foreach (var run in await runs.PastDeadlineAsync(deadline, RunsPerScan, cancellationToken))
        {
            var now = time.GetUtcNow();
            var failure = new RunFailed
            {
                RunId = run.RunId,
                Dataset = run.Dataset,
                Stage = DeadlineStage,
                Reason = $"No stage finished the run within {deadline} of its start ({run.StartedAt:u}); failed by the stuck-run sweeper.",
                Timing = new StageTiming(DeadlineStage, run.StartedAt, now),
            };
            await BoundedBrokerCall.RunAsync(token => bus.Publish(failure, token), PublishTimeout, nameof(RunFailed), cancellationToken);
            // Ended here too, so the next scan does not fail it again before RunFailed comes back from the bus.
            await runs.EndedAsync(run.RunId, run.Dataset, run.ExecutionDate, failed: true, now, cancellationToken);
            LogFailedPastDeadline(logger, run.RunId, run.Dataset, run.StartedAt, deadline);
            failed++;
        }
        return failed;
    }

    /// <summary>The stage named in the RunFailed of a run that outlived its deadline.</summary>
    public const string DeadlineStage = "deadline";
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);

    [LoggerMessage(LogLevel.Warning, "Run {RunId} of {Dataset} started at {StartedAt} is still open past the run deadline {Deadline}: failed")]
    private static partial void LogFailedPastDeadline(ILogger logger, Guid runId, string dataset, DateTimeOffset startedAt, TimeSpan deadline);

    [LoggerMessage(LogLevel.Warning, "Run {RunId} of {Dataset} started at {StartedAt} is still open past the limit of policy {Policy}: marked stuck")]
    private static partial void LogStuck(ILogger logger, Guid runId, string dataset, DateTimeOffset startedAt, string policy);

    [LoggerMessage(LogLevel.Warning, "Stuck-run scan failed; the next scan tries again")]
    private static partial void LogScanFailed(ILogger logger, Exception exception);
}
