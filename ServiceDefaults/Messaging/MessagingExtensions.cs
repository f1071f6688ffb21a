using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Vigil.ServiceDefaults.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// MassTransit over RabbitMQ from <c>ConnectionStrings:{connectionName}</c> (an amqp:// URI). Queues are named
    /// <c>{service}-{consumer}</c>, so two services consuming the same event each get every message, while replicas of one
    /// service compete on its queue. Failed messages are retried within a <see cref="RetryBudget"/> (a backing server's
    /// restart is waited out); when a run's stage gives up after its last retry, <c>RunFailed</c> is published for it
    /// (when <paramref name="stage"/> is given) and the message is kept in the <c>_error</c> queue, where
    /// <see cref="DeadLetters"/> lists and replays it.
    /// </summary>
    public static IHostApplicationBuilder AddVigilMessaging(this IHostApplicationBuilder builder, string service, string? stage,
        Action<IBusRegistrationConfigurator> addConsumers, string connectionName = "rabbitmq")
    {
        var broker = new Uri(ConnectionStrings.Require(builder.Configuration, connectionName));
        var budget = RetryBudget.From(builder.Configuration);
        var runStage = new RunStage(stage ?? service);
        builder.Services.AddSingleton(runStage);
        builder.Services.AddSingleton(budget);
        builder.Services.AddSingleton(new DeadLetters.Broker(broker));
        builder.Services.AddSingleton<DeadLetters>();
        builder.Services.AddHealthChecks().AddCheck<BrokerHealthCheck>(connectionName);
        builder.Services.AddMassTransit(bus =>
        {
            bus.DisableUsageTelemetry(); // MassTransit 8.4+ would report the bus's shape to an outside host at start
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(service, includeNamespace: false));
            addConsumers(bus);
            bus.AddConsumeObserver<RunMessageLog>();
            bus.AddPublishObserver<RunMessageLog>();
            bus.AddConfigureEndpointsCallback((context, queueName, endpoint) =>
            {
                context.GetRequiredService<DeadLetters>().Track(queueName);
                endpoint.UseVigilRetry(budget, stage is null ? null : runStage, context.GetRequiredService<ILoggerFactory>());
            });
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(broker);
                rabbit.ConfigureEndpoints(context);
            });
        });
        return builder;
    }

    /// <summary>
    /// The retry and fault policy of every Vigil receive endpoint: transient failures are retried within the budget's
    /// long back-off, others a few times quickly; after the last attempt, when <paramref name="stage"/> is given, the
    /// run is failed from the error pipe, which a message reaches only after its last attempt.
    /// </summary>
    public static void UseVigilRetry(this IReceiveEndpointConfigurator endpoint, RetryBudget budget, RunStage? stage, ILoggerFactory loggers)
    {
        if (stage is not null)
        {
            endpoint.UseFilter(new RunFailedOnFaultFilter.Attempt());
            // Configuring the error pipe replaces its defaults, so the fault event and the move to _error are added back.
            endpoint.ConfigureError(error =>
            {
                error.UseFilter(new RunFailedOnFaultFilter.GiveUp(stage, loggers.CreateLogger<RunFailedOnFaultFilter.GiveUp>()));
                error.UseFilter(new MassTransit.Middleware.GenerateFaultFilter());
                error.UseFilter(new MassTransit.Middleware.ErrorTransportFilter());
            });
        }
        endpoint.UseMessageRetry(r =>
        {
            r.Handle<Exception>(TransientFailures.IsTransient);
            r.Intervals(budget.TransientIntervals);
        });
        endpoint.UseMessageRetry(r =>
        {
            r.Ignore<Exception>(TransientFailures.IsTransient);
            r.Intervals(budget.Intervals);
        });
    }
}
