using Vigil.Ingest.Intake;
using Vigil.Ingest.Pulls;

namespace Vigil.Ingest.Schedules;

/// <summary>
/// Runs one tick of a schedule (a scheduled one or a backfilled one) and records what it came to. A tick that already
/// has a successful record is run again as a rerun: the new pull supersedes the old run, the new record the old one.
/// </summary>
public sealed partial class TickRunner(IServiceScopeFactory scopes, ScheduleStore store, RetrainClient trainer, TimeProvider clock, ILogger<TickRunner> logger)
{
    public async Task<ScheduleRun> RunAsync(DatasetSchedule schedule, string kind, DateTimeOffset tick, string trigger, CancellationToken cancellationToken)
    {
        var cron = schedule.For(kind) ?? throw new InvalidOperationException($"'{schedule.Dataset}' has no {kind} schedule.");
        var started = clock.GetUtcNow();
        var executionDate = cron.DateOf(tick);
        var previous = await store.FindLiveAsync(schedule.Dataset, kind, tick, cancellationToken);
        Result result;
        try
        {
            result = kind == ScheduleKinds.Pull
                ? await PullAsync(schedule, executionDate, previous, cancellationToken)
                : await TrainAsync(schedule, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Recorded as a failed tick with its reason (the object store or Scoring down, a timeout), never dropped.
            LogTickFailed(logger, e, schedule.Dataset, kind, tick);
            result = new Result(ScheduleRun.Failed, null, null, e.GetBaseException().Message);
        }

        var record = new ScheduleRun(Guid.CreateVersion7(), schedule.Dataset, kind, tick, executionDate, trigger, result.Outcome,
            result.RunId, result.ModelVersion, result.Reason, null, started, clock.GetUtcNow());
        if (await store.RecordAsync(record, previous?.Id, cancellationToken)) return record;
        // Another replica ran the same tick at the same moment and recorded first: its record stands.
        return await store.FindLiveAsync(schedule.Dataset, kind, tick, cancellationToken) ?? record;
    }

    private sealed record Result(string Outcome, Guid? RunId, int? ModelVersion, string? Reason);

    private async Task<Result> PullAsync(DatasetSchedule schedule, DateOnly executionDate, ScheduleRun? previous, CancellationToken cancellationToken)
    {
        if (schedule.Plan is not { } plan) return new Result(ScheduleRun.Failed, null, null, $"'{schedule.Dataset}' has no pull section to read.");
        await using var scope = scopes.CreateAsyncScope();
        var runner = scope.ServiceProvider.GetRequiredService<PullRunner>();
        var submission = new BatchSubmission(schedule.Dataset, executionDate, null, Rerun: previous is not null) { Supersedes = previous?.RunId };
        try
        {
            return await runner.RunAsync(plan, submission, cancellationToken) switch
            {
                IntakeOutcome.Accepted(var run) => new Result(ScheduleRun.Accepted, run.RunId, null, null),
                IntakeOutcome.AlreadyKnown(var run) => new Result(ScheduleRun.Unchanged, run.RunId, null, null),
                IntakeOutcome.Rejected(_, var title, var detail) => new Result(ScheduleRun.Failed, null, null, $"{title}: {detail}"),
                _ => throw new InvalidOperationException("Unknown intake outcome."),
            };
        }
        catch (PullException e)
        {
            return new Result(ScheduleRun.Failed, null, null, e.Message);
        }
    }

    private async Task<Result> TrainAsync(DatasetSchedule schedule, CancellationToken cancellationToken)
    {
        var (version, problem) = await trainer.TrainAsync(schedule.Dataset, schedule.RetrainLastRuns, cancellationToken);
        return version is { } v ? new Result(ScheduleRun.Accepted, null, v, null) : new Result(ScheduleRun.Failed, null, null, problem);
    }

    [LoggerMessage(LogLevel.Warning, "Scheduled {Kind} of {Dataset} for tick {Tick} failed")]
    private static partial void LogTickFailed(ILogger logger, Exception exception, string dataset, string kind, DateTimeOffset tick);
}
