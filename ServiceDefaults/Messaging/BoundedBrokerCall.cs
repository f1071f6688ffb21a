using MassTransit;

namespace Vigil.ServiceDefaults.Messaging;

/// <summary>
/// A call to the broker that may take only so long. A publish started as the connection drops can wait for ever in
/// RabbitMQ.Client 7.2.2 (the newest release on the registry): its confirm is never failed, or its frame writer waits on
/// a dead socket (rabbitmq-dotnet-client #1930 and #1960, fixed after that release). A consumer stuck so never ends: its
/// message is neither acknowledged nor given back, and its receive endpoint, which waits for its consumers before it
/// reconnects, takes nothing more from its queue (seen in the chaos run: Scoring idle for a minute after the broker was
/// back, until it was killed). Bounded, the call is cancelled through its token, and abandoned even if the client
/// ignores the token.
/// </summary>
public static class BoundedBrokerCall
{
    /// <summary>Ample for a broker under load; a healthy publish is confirmed in milliseconds.</summary>
    public static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs <paramref name="call"/> for at most <paramref name="limit"/>. Past it: <see cref="TimeoutException"/>, a
    /// transient failure, so a consumer's retry policy waits the broker out. Cancelled by
    /// <paramref name="cancellationToken"/> (a consumer whose transport stopped): <see cref="OperationCanceledException"/>.
    /// </summary>
    public static Task RunAsync(Func<CancellationToken, Task> call, TimeSpan limit, string what, CancellationToken cancellationToken) =>
        RunAsync(async token =>
        {
            await call(token);
            return true;
        }, limit, what, cancellationToken);

    /// <inheritdoc cref="RunAsync(Func{CancellationToken, Task}, TimeSpan, string, CancellationToken)"/>
    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, TimeSpan limit, string what, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(limit);
        var running = call(bounded.Token);
        try
        {
            return await running.WaitAsync(bounded.Token);
        }
        catch (OperationCanceledException) when (bounded.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The broker did not take {what} within {limit.TotalSeconds:0.#} s.");
        }
        finally
        {
            // An abandoned call may still fail later; its exception is observed here rather than left to the finalizer.
            if (!running.IsCompleted) _ = running.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    /// <summary>Publishes from a consumer within <see cref="DefaultLimit"/>, cancelled with the consume context.</summary>
    public static Task PublishBoundedAsync<T>(this ConsumeContext context, T message) where T : class =>
        RunAsync(token => context.Publish(message, token), DefaultLimit, typeof(T).Name, context.CancellationToken);
}
