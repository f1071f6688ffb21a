using Microsoft.Extensions.Options;
using Vigil.Lineage.Storage;
using Vigil.ServiceDefaults.Callbacks;

namespace Vigil.Lineage.Callbacks;

/// <summary>
/// Sends completion callbacks: every PollInterval it claims the callbacks whose runs have ended, POSTs each signed
/// run summary, and records the attempt (delivered, retry later with back-off, or given up after MaxAttempts).
/// Lineage sends them because it is where a run's end is decided: the body is the run as GET /api/runs/{id} shows it.
/// </summary>
public sealed partial class CallbackDispatcher(
    CallbackStore callbacks, RunTimelineStore timeline, CallbackSender sender, IOptions<CallbackOptions> options, TimeProvider clock,
    ILogger<CallbackDispatcher> logger) : BackgroundService
{
    private const int BatchSize = 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var due = await callbacks.ClaimDueAsync(BatchSize, stoppingToken);
                await Task.WhenAll(due.Select(callback => DeliverAsync(callback, stoppingToken)));
                if (due.Count == BatchSize) continue;
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
            {
                LogStoreUnavailable(logger, e.Message);
            }
            await Task.Delay(options.Value.PollInterval, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task DeliverAsync(DueCallback callback, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        CallbackAttempt attempt;
        if (await timeline.FindAsync(callback.RunId, cancellationToken) is not { } run)
        {
            attempt = new CallbackAttempt(false, null, "The run is no longer known.");
        }
        else
        {
            var payload = CallbackPayload.For(run, clock.GetUtcNow());
            attempt = await sender.SendAsync(callback, payload.ToUtf8(), payload.Event, cancellationToken);
        }
        var retryIn = attempt.Delivered ? null : CallbackBackoff.DelayAfter(callback.Attempt, settings.MaxAttempts, settings.FirstRetryDelay, settings.MaxDelay);
        await callbacks.RecordAttemptAsync(callback.RunId, attempt.Delivered, attempt.StatusCode, attempt.Error,
            retryIn is { } delay ? clock.GetUtcNow() + delay : null, cancellationToken);
        if (attempt.Delivered) LogDelivered(logger, callback.RunId, callback.Attempt, attempt.StatusCode);
        else if (retryIn is null) LogGaveUp(logger, callback.RunId, callback.Attempt, attempt.Error);
        else LogRetrying(logger, callback.RunId, callback.Attempt, attempt.Error, retryIn.Value.TotalSeconds);
    }

    [LoggerMessage(LogLevel.Information, "Callback of run {RunId} delivered on attempt {Attempt} ({StatusCode})")]
    private static partial void LogDelivered(ILogger logger, Guid runId, int attempt, int? statusCode);

    [LoggerMessage(LogLevel.Warning, "Callback of run {RunId} failed on attempt {Attempt}: {Error}; retrying in {Seconds} s")]
    private static partial void LogRetrying(ILogger logger, Guid runId, int attempt, string? error, double seconds);

    [LoggerMessage(LogLevel.Error, "Callback of run {RunId} given up after attempt {Attempt}: {Error}")]
    private static partial void LogGaveUp(ILogger logger, Guid runId, int attempt, string? error);

    [LoggerMessage(LogLevel.Warning, "Callbacks could not be read: {Error}; trying again shortly")]
    private static partial void LogStoreUnavailable(ILogger logger, string error);
}
