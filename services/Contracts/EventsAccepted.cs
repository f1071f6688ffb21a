namespace Vigil.Contracts;

/// <summary>
/// A micro-batch of streamed events that Ingest accepted (the answer 202 went out only after this message was confirmed
/// by the broker). Unlike batches, events travel on the bus themselves: each is a small JSON object, and a micro-batch
/// holds at most a few hundred of them, so a claim-check would only add a round trip.
/// </summary>
public sealed record EventsAccepted
{
    /// <summary>Identifies the micro-batch; a redelivered message scores, stores and counts it only once.</summary>
    public required Guid BatchId { get; init; }
    public required string Dataset { get; init; }
    public IReadOnlyList<string> KeyColumns { get; init; } = [];
    public string? EntityColumn { get; init; }
    public string? TimestampColumn { get; init; }
    public required IReadOnlyList<AcceptedEvent> Events { get; init; }
}

/// <summary>One event as its client sent it (a JSON object), stamped with the moment Ingest accepted it.</summary>
public sealed record AcceptedEvent(DateTimeOffset AcceptedAt, string Json);
