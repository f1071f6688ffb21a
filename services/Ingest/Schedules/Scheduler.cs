using Microsoft.Extensions.Options;

namespace Vigil.Ingest.Schedules;

/// <summary>
/// Acts on every dataset's schedules, on one replica at a time (the holder of the lease row in Postgres). Each round:
/// renew the lease, read the schedules, and for each one whose tick is due, claim the tick (move its last tick
/// forward in Postgres, so no replica and no restart runs it twice) and run it. After downtime the missed ticks
/// collapse into the latest one: a schedule catches up once.
/// </summary>
public sealed partial class Scheduler(
    ScheduledDatasets datasets, ScheduleStore store, TickRunner ticks, TimeProvider clock, IOptions<ScheduleOptions> options, ILogger<Scheduler> logger)
    : BackgroundService
{
    private readonly string _holder = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():n}";
    private bool _leading;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled) return;
        using var timer = new PeriodicTimer(settings.PollInterval, clock);
        try
        {
            do
            {
                try
                {
                    await RoundAsync(settings, stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // Postgres or Validation unavailable for a moment: the next round tries again, and a tick not yet
                    // claimed is still due then.
                    LogRoundFailed(logger, e.GetBaseException().Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_leading) await store.ReleaseLeaseAsync(_holder, cancellationToken);
    }

    private async Task RoundAsync(ScheduleOptions settings, CancellationToken cancellationToken)
    {
        var leading = await store.HoldLeaseAsync(_holder, settings.LeaseDuration, cancellationToken);
        if (leading != _leading) LogLeadership(logger, _holder, leading);
        _leading = leading;
        if (!leading) return;

        foreach (var schedule in await datasets.ListAsync(cancellationToken))
        {
            var last = await store.LastTicksAsync(schedule.Dataset, cancellationToken);
            foreach (var kind in new[] { ScheduleKinds.Pull, ScheduleKinds.Retrain })
            {
                if (schedule.For(kind) is not { } cron) continue;
                var now = clock.GetUtcNow();
                if (!last.TryGetValue(kind, out var lastTick))
                {
                    await store.StartAsync(schedule.Dataset, kind, now, cancellationToken); // first seen: from now on
                    continue;
                }
                if (cron.LatestDue(lastTick, now) is not { } due) continue;
                // The lease may have run out during a long tick; a replica that took over has the claim to pass too.
                if (!await store.HoldLeaseAsync(_holder, settings.LeaseDuration, cancellationToken)) return;
                if (!await store.TryClaimAsync(schedule.Dataset, kind, due, cancellationToken)) continue;
                var run = await ticks.RunAsync(schedule, kind, due, "schedule", cancellationToken);
                LogTick(logger, schedule.Dataset, kind, due, run.Outcome, run.Reason);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Scheduler {Holder} leading: {Leading}")]
    private static partial void LogLeadership(ILogger logger, string holder, bool leading);

    [LoggerMessage(LogLevel.Information, "Scheduled {Kind} of {Dataset} for {Tick}: {Outcome} {Reason}")]
    private static partial void LogTick(ILogger logger, string dataset, string kind, DateTimeOffset tick, string outcome, string? reason);

    [LoggerMessage(LogLevel.Warning, "Scheduler round failed: {Error}")]
    private static partial void LogRoundFailed(ILogger logger, string error);
}
