using Vigil.Contracts;
using Vigil.Scoring.Events;

namespace Vigil.Scoring.UnitTests.Events;

public sealed class EventTableTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-21T20:00:00Z");

    private static EventsAccepted Batch(params string[] events) => new()
    {
        BatchId = Guid.NewGuid(), Dataset = "banking.transactions", KeyColumns = ["transaction_id"], EntityColumn = "account_id",
        TimestampColumn = "booked_at", Events = [.. events.Select(json => new AcceptedEvent(Now, json))],
    };

    [Fact]
    public void Amount_like_numeric_columns_are_tracked_per_entity()
    {
        var batch = Batch(
            """{"transaction_id": 1, "account_id": 7, "merchant_id": 3, "booked_at": 1700000000, "amount": 12.5, "fee": 1, "note": "x"}""",
            """{"transaction_id": 2, "account_id": 8, "merchant_id": 4, "booked_at": 1700000001, "amount": null, "fee": 2, "note": "multi\nline"}""");
        var table = EventTable.Read(batch.Events);
        var tracked = EventTable.TrackedColumns(table, batch, max: 8);
        Assert.Equal(["amount", "fee"], tracked.Select(c => c.Name));

        var observations = EventTable.Observations(table, batch.EntityColumn, tracked);
        Assert.Equal(
            [new(0, "7", "amount", 12.5), new(0, "7", "fee", 1), new(1, "8", "fee", 2)],
            observations);
    }

    [Fact]
    public void Without_an_entity_column_all_events_share_one_entity()
    {
        var batch = Batch("""{"transaction_id": 1, "amount": 3}""") with { EntityColumn = null };
        var table = EventTable.Read(batch.Events);
        var observations = EventTable.Observations(table, null, EventTable.TrackedColumns(table, batch, 8));
        Assert.Equal([new EntityObservation(0, "*", "amount", 3)], observations);
    }
}
