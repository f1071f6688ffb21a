using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Vigil.ServiceDefaults.Problems;

namespace Vigil.ServiceDefaults.Messaging;

/// <summary>
/// <c>GET /api/system/dead-letters</c>: this service's error queues and their message counts;
/// <c>POST /api/system/dead-letters/{queue}/replay</c>: moves a queue's failed messages back to it (after the cause is fixed).
/// </summary>
public static class DeadLettersApi
{
    public const int MaxReplay = 10_000;

    public static IEndpointRouteBuilder MapDeadLettersApi(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<DeadLetters>() is null) return app; // a service without a bus
        var api = app.MapGroup("api/system/dead-letters").WithTags("System");
        api.MapGet("", List).WithName("ListDeadLetters").WithSummary("This service's error queues and how many messages wait in each.");
        api.MapPost("{queue}/replay", Replay).WithName("ReplayDeadLetters").WithSummary("Move a queue's failed messages back to the queue (limit: ?max=, default all up to 10000).");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<DeadLetterQueue>>, ProblemHttpResult>> List(DeadLetters deadLetters, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await deadLetters.ListAsync(cancellationToken));
        }
        catch (Exception e) when (TransientFailures.IsTransient(e) || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return BrokerUnavailable();
        }
    }

    private static async Task<Results<Ok<ReplayResult>, ProblemHttpResult>> Replay(string queue, int? max, DeadLetters deadLetters, CancellationToken cancellationToken)
    {
        if (!deadLetters.Queues.Contains(queue))
            return ApiProblem.NotFound(title: "Unknown queue",
                detail: $"'{queue}' is not a queue of this service; known: {string.Join(", ", deadLetters.Queues)}.");
        try
        {
            return TypedResults.Ok(new ReplayResult(queue, await deadLetters.ReplayAsync(queue, Math.Clamp(max ?? MaxReplay, 1, MaxReplay), cancellationToken)));
        }
        catch (Exception e) when (TransientFailures.IsTransient(e) || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return BrokerUnavailable();
        }
    }

    private static ProblemHttpResult BrokerUnavailable() =>
        ApiProblem.Unavailable(title: "Message broker unavailable", detail: "RabbitMQ could not be reached; retry shortly.");

    public sealed record ReplayResult(string Queue, int Replayed);
}
