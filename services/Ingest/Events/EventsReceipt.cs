namespace Vigil.Ingest.Events;

/// <summary>The answer to an accepted request: its events are on the bus, to be scored.</summary>
public sealed record EventsReceipt(string Dataset, int Accepted, DateTimeOffset AcceptedAt, string AnomaliesUrl);
