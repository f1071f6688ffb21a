using Microsoft.Extensions.Options;
using Vigil.Ingest.Intake;

namespace Vigil.Ingest.Pulls;

/// <summary>
/// One pull, from the dataset's plan to an intake outcome: each side read into a CSV file, then stored and accepted
/// exactly like an uploaded batch. Used by POST .../pulls and by the scheduler (scheduled ticks and backfills).
/// </summary>
public sealed class PullRunner(BatchIntake intake, PullConnections connections, IOptions<IngestOptions> options)
{
    /// <exception cref="PullException">A side could not be read (unknown connection, refused statement, timeout, source gone).</exception>
    public async Task<IntakeOutcome> RunAsync(PullPlan plan, BatchSubmission submission, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        await using var draft = intake.Begin(submission, reconciliation: plan.Source is not null);
        var target = await ExtractAsync(draft, "target", plan.Target, cancellationToken);
        var source = plan.Source is { } sourceSide ? await ExtractAsync(draft, "source", sourceSide, cancellationToken) : null;
        return await draft.AcceptAsync(target, source, started, cancellationToken);
    }

    /// <summary>One side read into a CSV file, then stored exactly like an uploaded batch.</summary>
    private async Task<StoredPart> ExtractAsync(IntakeDraft draft, string role, PullSide side, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var source = connections.Resolve(side.Connection);
        var extracted = Path.Combine(settings.SpoolDirectory ?? Path.GetTempPath(), $"vigil-pull-{Guid.NewGuid():n}.csv");
        try
        {
            await using (var file = new FileStream(extracted, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
                await PullExtract.ToCsvAsync(source, side, file, settings.PullTimeout, cancellationToken);
            await using var csv = new FileStream(extracted, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous);
            var (mediaType, extension) = BatchFormat.Recognize("text/csv")!.Value;
            var (part, result) = await draft.StoreAsync(role, csv, mediaType, extension, cancellationToken);
            return result switch
            {
                UploadResult.TooLarge => throw new PullException($"What '{side.Connection}' returned is over the batch limit of {settings.MaxBatchBytes} bytes."),
                UploadResult.Empty => throw new PullException($"'{side.Connection}' returned nothing, not even a header row."),
                _ => part!,
            };
        }
        finally
        {
            File.Delete(extracted);
        }
    }
}
