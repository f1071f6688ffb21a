using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;
using Vigil.Alerting.Alerts;
using Vigil.Alerting.Policies;
using Vigil.Alerting.Storage;

namespace Vigil.Alerting.Runs;

/// <summary>
/// Every <c>Alerting:StuckRunScanInterval</c>, finds runs still open longer than a policy's
/// <c>run_not_completed_within</c>, marks them stuck and alerts — once per run and policy, however many scans see it.
/// </summary>
public sealed partial class StuckRunSweeper(
    PolicyStore policies, TrackedRunStore runs, AlertPipeline pipeline, IOptions<AlertingOptions> options, TimeProvider time,
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
                stored += await pipeline.RaiseAsync(facts, [policy], cancellationToken);
            }
        }
        return stored;
    }

    [LoggerMessage(LogLevel.Warning, "Run {RunId} of {Dataset} started at {StartedAt} is still open past the limit of policy {Policy}: marked stuck")]
    private static partial void LogStuck(ILogger logger, Guid runId, string dataset, DateTimeOffset startedAt, string policy);

    [LoggerMessage(LogLevel.Warning, "Stuck-run scan failed; the next scan tries again")]
    private static partial void LogScanFailed(ILogger logger, Exception exception);
}
