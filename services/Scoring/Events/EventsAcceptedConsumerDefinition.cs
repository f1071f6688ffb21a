using MassTransit;

namespace Vigil.Scoring.Events;

/// <summary>
/// Event micro-batches are small and each waits on Redis and Postgres round trips, so more of them are scored at once
/// than the default (twice the cores) allows; the Lua script keeps concurrent updates of one entity consistent.
/// </summary>
public sealed class EventsAcceptedConsumerDefinition : ConsumerDefinition<EventsAcceptedConsumer>
{
    public const int ConcurrentMicroBatches = 16;

    public EventsAcceptedConsumerDefinition() => ConcurrentMessageLimit = ConcurrentMicroBatches;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<EventsAcceptedConsumer> consumer,
        IRegistrationContext context)
    {
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit) rabbit.PrefetchCount = 2 * ConcurrentMicroBatches;
        // Accepted events must not end in the error queue because Redis or Postgres was briefly out of reach (a restart,
        // a reconnect): such a micro-batch waits and tries again for a while before the bus's own retries take over.
        consumer.UseMessageRetry(retry =>
        {
            retry.Handle<StackExchange.Redis.RedisException>();
            retry.Handle<TimeoutException>();
            retry.Handle<Npgsql.NpgsqlException>();
            retry.Interval(TransientRetries, TransientRetryInterval);
        });
    }

    public const int TransientRetries = 60;
    public static readonly TimeSpan TransientRetryInterval = TimeSpan.FromSeconds(1);
}
