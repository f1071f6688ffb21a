using Vigil.Contracts;
using Vigil.Ingest.Outbox;
using Vigil.Ingest.Storage;

namespace Vigil.Ingest.UnitTests.Outbox;

public sealed class OutboxMessagesTests
{
    [Fact]
    public void A_BatchIngested_comes_out_of_the_outbox_as_it_went_in()
    {
        var message = new BatchIngested
        {
            RunId = Guid.CreateVersion7(),
            Dataset = "banking.transactions",
            ExecutionDate = new DateOnly(2026, 11, 20),
            ObjectKey = "raw/banking.transactions/2026-11-20/x.target.csv",
            ContentType = "text/csv",
            SizeBytes = 1234,
            ContentSha256 = "ab",
            ReconciliationSource = new StoredObject("raw/banking.transactions/2026-11-20/x.source.csv", "text/csv", 99),
            Timing = new StageTiming(Stages.Ingest, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(1), 10),
        };

        var entry = OutboxMessages.Entry(message);
        var (read, type) = OutboxMessages.Read(new OutboxMessage(1, message.RunId, entry.MessageType, entry.Body, entry.TraceParent, 0));

        Assert.Equal(typeof(BatchIngested), type);
        Assert.Equal(message, read);
    }

    [Fact]
    public void A_stored_message_of_an_unknown_type_is_refused() =>
        Assert.Throws<InvalidOperationException>(() => OutboxMessages.Read(new OutboxMessage(7, Guid.Empty, "Unknown", "{}", null, 0)));

    [Fact]
    public void Publishing_is_retried_soon_enough_to_drain_right_after_the_broker_returns()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), OutboxPublisher.RetryDelay(0));
        Assert.Equal(TimeSpan.FromSeconds(4), OutboxPublisher.RetryDelay(2));
        Assert.Equal(OutboxPublisher.MaxRetryDelay, OutboxPublisher.RetryDelay(50));
    }
}
