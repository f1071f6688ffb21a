using System.Text.Json;
using Vigil.Lineage.Storage;

namespace Vigil.Lineage.Callbacks;

/// <summary>
/// The body of a completion callback: the event (<c>run.completed</c> or <c>run.failed</c>), the run's id, dataset and
/// status, and the whole run as <c>GET /api/runs/{id}</c> shows it.
/// </summary>
public sealed record CallbackPayload(string Event, Guid RunId, string Dataset, string Status, DateTimeOffset SentAt, RunView Run)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static CallbackPayload For(RunView run, DateTimeOffset now) => new($"run.{run.Status}", run.RunId, run.Dataset, run.Status, now, run);

    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, Json);
}
