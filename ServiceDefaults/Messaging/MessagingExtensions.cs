using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Vigil.ServiceDefaults.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// MassTransit over RabbitMQ from <c>ConnectionStrings:{connectionName}</c> (an amqp:// URI). Queues are named
    /// <c>{service}-{consumer}</c>, so two services consuming the same event each get every message, while replicas of one
    /// service compete on its queue. Failed messages are retried; when a run's stage gives up, <c>RunFailed</c> is
    /// published for it (when <paramref name="stage"/> is given) and the message is kept in the <c>_error</c> queue.
    /// </summary>
    public static IHostApplicationBuilder AddVigilMessaging(this IHostApplicationBuilder builder, string service, string? stage,
        Action<IBusRegistrationConfigurator> addConsumers, string connectionName = "rabbitmq")
    {
        var broker = new Uri(ConnectionStrings.Require(builder.Configuration, connectionName));
        var retry = builder.Configuration.GetSection("Messaging:RetryIntervalsMs").Get<int[]>() is { Length: > 0 } configured ? configured : [200, 1000, 3000];
        builder.Services.AddSingleton(new RunStage(stage ?? service));
        builder.Services.AddMassTransit(bus =>
        {
            bus.DisableUsageTelemetry(); // MassTransit 8.4+ would report the bus's shape to an outside host at start
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(service, includeNamespace: false));
            addConsumers(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(broker);
                if (stage is not null) rabbit.UseConsumeFilter(typeof(RunFailedOnFaultFilter<>), context);
                rabbit.UseMessageRetry(r => r.Intervals(retry));
                rabbit.ConfigureEndpoints(context);
            });
        });
        return builder;
    }
}
