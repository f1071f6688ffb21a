namespace Vigil.Ingest.Intake;

/// <summary>
/// One submission on its way in: its run id, chosen before its bytes arrive, and the parts stored so far under
/// <c>raw/&lt;dataset&gt;/&lt;date&gt;/&lt;run&gt;</c>. Disposed without an accepted run (a repeat, a refusal, a failure
/// half-way), it deletes what it stored, so only recorded runs leave objects behind.
/// </summary>
public sealed class IntakeDraft : IAsyncDisposable
{
    private readonly BatchIntake _intake;
    private readonly BatchSubmission _submission;
    private readonly bool _reconciliation;
    private readonly List<string> _stored = [];
    private bool _kept;

    internal IntakeDraft(BatchIntake intake, BatchSubmission submission, Guid runId, bool reconciliation)
    {
        _intake = intake;
        _submission = submission;
        RunId = runId;
        _reconciliation = reconciliation;
    }

    public Guid RunId { get; }

    /// <summary>Stores one part as it arrives: the batch, or a reconciliation's "source" or "target".</summary>
    /// <returns>The stored part, or null with the result saying why nothing was kept (empty, or over the limit).</returns>
    public async Task<(StoredPart? Part, UploadResult Result)> StoreAsync(string role, Stream body, string mediaType, string extension, CancellationToken cancellationToken)
    {
        var key = $"raw/{_submission.Dataset}/{_submission.ExecutionDate:yyyy-MM-dd}/{RunId}{(_reconciliation ? "." + role : "")}.{extension}";
        var result = await _intake.Upload.StoreAsync(body, key, mediaType, RunId, _intake.MaxBatchBytes, cancellationToken);
        if (result is not UploadResult.Stored(var size, var sha256)) return (null, result);
        _stored.Add(key);
        return (new StoredPart(mediaType, key, size, sha256), result);
    }

    /// <summary>Records the run (or finds the one it repeats); the stored parts stay only when a new run was accepted.</summary>
    public async Task<IntakeOutcome> AcceptAsync(StoredPart target, StoredPart? source, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var outcome = await _intake.AcceptAsync(_submission, RunId, target, source, started, cancellationToken);
        _kept = outcome is IntakeOutcome.Accepted;
        return outcome;
    }

    public async ValueTask DisposeAsync()
    {
        if (_kept) return;
        foreach (var key in _stored) await _intake.DeleteQuietlyAsync(key);
    }
}
