using Vigil.Ingest.Storage;

namespace Vigil.Ingest.Apis;

/// <summary>Answer to a submission: the run to follow.</summary>
public sealed record BatchAccepted(Guid RunId, string Dataset, DateOnly ExecutionDate, string ObjectKey, string? SourceObjectKey,
    long SizeBytes, string ContentSha256, bool Duplicate, string RunUrl)
{
    public static BatchAccepted From(RunRecord run, bool duplicate) =>
        new(run.RunId, run.Dataset, run.ExecutionDate, run.ObjectKey, run.SourceObjectKey, run.SizeBytes, run.ContentSha256, duplicate, $"/api/runs/{run.RunId}");
}
