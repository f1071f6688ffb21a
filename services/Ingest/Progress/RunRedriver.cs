using System.Text.Json;
using Microsoft.Extensions.Options;
using Vigil.Contracts;
using Vigil.Ingest.Outbox;
using Vigil.ServiceDefaults.Messaging;

namespace Vigil.Ingest.Progress;

/// <summary>
/// The end-to-end guarantee behind "accepted means it will end": a run that has made no progress for
/// <see cref="RedriveOptions.QuietFor"/> while the pipeline has no backlog is announced again from the message Ingest
/// kept (through the outbox, marked as a redrive), at most <see cref="RedriveOptions.MaxRedrives"/> times. Whatever lost
/// or stranded its message on the way, the run then goes through again; every stage is idempotent on the run id, and the
/// run's ingest stage says it was sent again. Replicas may scan at once: each redrive is a conditional update.
/// </summary>
public sealed partial class RunRedriver(
    RunProgressStore runs, PipelineQueues queues, OutboxSignal outbox, IOptions<RedriveOptions> options, ILogger<RunRedriver> logger) : BackgroundService
{
    private const int BatchSize = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ScanOnceAsync(stoppingToken);
            }
            catch (Exception e) when (TransientFailures.IsTransient(e) || e is OperationCanceledException && !stoppingToken.IsCancellationRequested)
            {
                LogScanFailed(logger, e.GetBaseException().Message);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Anything else (a bug, a broker answer not foreseen) must not stop Ingest: logged, and the next scan goes on.
                LogScanError(logger, e);
            }
            await Task.Delay(settings.ScanInterval, stoppingToken);
        }
    }

    /// <summary>One look at the silent runs; returns how many were announced again.</summary>
    public async Task<int> ScanOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var stalled = await runs.StalledAsync(settings.QuietFor, settings.MaxRedrives, BatchSize, cancellationToken);
        if (stalled.Count == 0) return 0;
        if (await queues.FirstWaitingAsync(settings.PipelineQueues, cancellationToken) is { } waiting)
        {
            LogBacklog(logger, stalled.Count, waiting.Queue, waiting.Messages);
            return 0;
        }
        var redriven = 0;
        foreach (var run in stalled)
        {
            if (Read(run) is not { } original) continue;
            var announcement = original with { Redrive = run.Redrives + 1 };
            if (!await runs.RedriveAsync(run, announcement, cancellationToken)) continue;
            redriven++;
            LogRedriven(logger, run.RunId, run.Dataset, announcement.Redrive, settings.MaxRedrives, settings.QuietFor);
        }
        if (redriven > 0) outbox.Notify();
        return redriven;
    }

    /// <summary>The kept announcement; null (logged) when it no longer reads, so one bad row never holds up the others.</summary>
    private BatchIngested? Read(StalledRun run)
    {
        try
        {
            return JsonSerializer.Deserialize<BatchIngested>(run.Announcement, JsonSerializerOptions.Web);
        }
        catch (JsonException e)
        {
            LogUnreadable(logger, run.RunId, e.Message);
            return null;
        }
    }

    [LoggerMessage(LogLevel.Error, "Run {RunId}: its kept announcement does not read ({Reason}); it cannot be announced again")]
    private static partial void LogUnreadable(ILogger logger, Guid runId, string reason);

    [LoggerMessage(LogLevel.Warning, "Run {RunId} of {Dataset} made no progress for {QuietFor}: announced again (redrive {Redrive} of at most {Max})")]
    private static partial void LogRedriven(ILogger logger, Guid runId, string dataset, int redrive, int max, TimeSpan quietFor);

    [LoggerMessage(LogLevel.Information, "{Count} silent run(s) not announced again yet: queue {Queue} holds {Messages} message(s), they may be waiting in line")]
    private static partial void LogBacklog(ILogger logger, int count, string queue, uint messages);

    [LoggerMessage(LogLevel.Error, "Looking for silent runs failed; the next scan tries again")]
    private static partial void LogScanError(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Warning, "Looking for silent runs failed ({Reason}); the next scan tries again")]
    private static partial void LogScanFailed(ILogger logger, string reason);
}
