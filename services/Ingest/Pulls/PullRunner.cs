using Microsoft.Extensions.Options;
using Vigil.Ingest.Intake;

namespace Vigil.Ingest.Pulls;

/// <summary>
/// One pull, from the dataset's plan to an intake outcome: each side read into a spooled CSV, then accepted exactly like
/// an uploaded batch. Used by POST .../pulls and by the scheduler (scheduled ticks and backfills).
/// </summary>
public sealed class PullRunner(BatchIntake intake, PullConnections connections, IOptions<IngestOptions> options)
{
    /// <exception cref="PullException">A side could not be read (unknown connection, refused statement, timeout, source gone).</exception>
    public async Task<IntakeOutcome> RunAsync(PullPlan plan, BatchSubmission submission, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        BatchPart? source = null;
        BatchPart? target = null;
        try
        {
            target = await ExtractAsync(plan.Target, cancellationToken);
            if (plan.Source is { } sourceSide) source = await ExtractAsync(sourceSide, cancellationToken);
            return await intake.AcceptAsync(submission, target, source, started, cancellationToken);
        }
        finally
        {
            if (target is not null) await target.Content.DisposeAsync();
            if (source is not null) await source.Content.DisposeAsync();
        }
    }

    /// <summary>One side as a spooled CSV, exactly like an uploaded batch from then on.</summary>
    private async Task<BatchPart> ExtractAsync(PullSide side, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var source = connections.Resolve(side.Connection);
        var extracted = Path.Combine(settings.SpoolDirectory ?? Path.GetTempPath(), $"vigil-pull-{Guid.NewGuid():n}.csv");
        try
        {
            await using (var file = new FileStream(extracted, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
                await PullExtract.ToCsvAsync(source, side, file, settings.PullTimeout, cancellationToken);
            await using var csv = new FileStream(extracted, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous);
            var spooled = await SpooledBatch.SpoolAsync(csv, settings.MaxBatchBytes, settings.SpoolDirectory, cancellationToken)
                ?? throw new PullException($"What '{side.Connection}' returned is over the batch limit of {settings.MaxBatchBytes} bytes.");
            var (mediaType, extension) = BatchFormat.Recognize("text/csv")!.Value;
            return new BatchPart(mediaType, extension, spooled);
        }
        finally
        {
            File.Delete(extracted);
        }
    }
}
