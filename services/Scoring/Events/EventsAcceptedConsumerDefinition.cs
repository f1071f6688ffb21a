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
    }
}
