using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.Options;
using Vigil.Contracts;
using Vigil.ServiceDefaults.Messaging;

namespace Vigil.Ingest.Events;

/// <summary>
/// Gathers the events of concurrent requests into micro-batches (per dataset, up to <see cref="EventsOptions.MaxBatchSize"/>
/// events or <see cref="EventsOptions.MaxDelayMs"/>) and publishes each as one <see cref="EventsAccepted"/>. A request's
/// task completes only when the broker has confirmed the message that holds its events, so 202 means "on the bus".
/// Events waiting in memory are bounded by <see cref="EventsOptions.MaxPendingEvents"/>.
/// </summary>
public sealed partial class EventBatcher(IBus bus, IOptions<EventsOptions> options, ILogger<EventBatcher> logger) : BackgroundService
{
    private sealed record Pending(string Dataset, EventSchema Schema, IReadOnlyList<AcceptedEvent> Events, TaskCompletionSource Published);

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _publishSlots = new(options.Value.MaxConcurrentPublishes);
    private readonly Dictionary<string, List<Pending>> _open = new(StringComparer.Ordinal);
    private int _pendingEvents;

    /// <summary>Events accepted into memory and not yet confirmed by the broker.</summary>
    public int PendingEvents => Volatile.Read(ref _pendingEvents);

    /// <summary>
    /// Queues a request's events; the task completes when they are on the bus (or fails when they could not be
    /// published, or Ingest is shutting down). Null when too many events are already waiting: the caller answers 429.
    /// </summary>
    public Task? TryEnqueue(string dataset, EventSchema schema, IReadOnlyList<AcceptedEvent> events)
    {
        // A request bigger than the whole limit still gets through when nothing else is waiting.
        var pendingNow = Interlocked.Add(ref _pendingEvents, events.Count);
        if (pendingNow > options.Value.MaxPendingEvents && pendingNow != events.Count)
        {
            Interlocked.Add(ref _pendingEvents, -events.Count);
            return null;
        }
        var pending = new Pending(dataset, schema, events, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            Interlocked.Add(ref _pendingEvents, -events.Count);
            return Task.FromException(new InvalidOperationException("Ingest is shutting down; the events were not published."));
        }
        return pending.Published.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        var maxSize = options.Value.MaxBatchSize;
        var maxDelay = TimeSpan.FromMilliseconds(options.Value.MaxDelayMs);
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                var deadline = DateTime.UtcNow + maxDelay;
                while (true)
                {
                    while (reader.TryRead(out var item))
                    {
                        if (!_open.TryGetValue(item.Dataset, out var list)) _open[item.Dataset] = list = [];
                        list.Add(item);
                        sizes[item.Dataset] = sizes.GetValueOrDefault(item.Dataset) + item.Events.Count;
                        if (sizes[item.Dataset] < maxSize) continue;
                        await FlushAsync(list, stoppingToken);
                        _open.Remove(item.Dataset);
                        sizes.Remove(item.Dataset);
                    }
                    var remaining = deadline - DateTime.UtcNow;
                    if (_open.Count == 0 || remaining <= TimeSpan.Zero) break;
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    wait.CancelAfter(remaining);
                    try
                    {
                        if (!await reader.WaitToReadAsync(wait.Token)) break;
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                        break; // the window closed
                    }
                }
                foreach (var dataset in _open.Keys.ToArray())
                {
                    await FlushAsync(_open[dataset], stoppingToken);
                    _open.Remove(dataset); // only once its publish started: what is left open is published by StopAsync
                }
                sizes.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync publishes what is left.
        }
    }

    /// <summary>
    /// Takes no more events, lets the loop publish what is queued, then publishes whatever it left (also when it never
    /// ran: stopped right after starting) and waits for every publish, so no request is left waiting forever.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
        if (ExecuteTask is { IsCompleted: false }) return; // stop was cut short; the loop still owns what is open
        var left = _open.Values.SelectMany(l => l).Concat(Drain(_queue.Reader)).GroupBy(p => p.Dataset).ToList();
        _open.Clear();
        foreach (var group in left) await PublishAsync([.. group], CancellationToken.None);
        for (var slot = 0; slot < options.Value.MaxConcurrentPublishes; slot++) await _publishSlots.WaitAsync(CancellationToken.None);
    }

    private static IEnumerable<Pending> Drain(ChannelReader<Pending> reader)
    {
        while (reader.TryRead(out var item)) yield return item;
    }

    /// <summary>Starts publishing one micro-batch once a publish slot is free; does not wait for the broker.</summary>
    private async Task FlushAsync(List<Pending> batch, CancellationToken stoppingToken)
    {
        await _publishSlots.WaitAsync(stoppingToken);
        var items = batch.ToArray();
        _ = Task.Run(async () =>
        {
            try
            {
                await PublishCoreAsync(items);
            }
            finally
            {
                _publishSlots.Release();
            }
        }, CancellationToken.None);
    }

    private async Task PublishAsync(Pending[] items, CancellationToken cancellationToken)
    {
        await _publishSlots.WaitAsync(cancellationToken);
        try
        {
            await PublishCoreAsync(items);
        }
        finally
        {
            _publishSlots.Release();
        }
    }

    private async Task PublishCoreAsync(Pending[] items)
    {
        var first = items[0];
        var message = new EventsAccepted
        {
            BatchId = NewId.NextGuid(),
            Dataset = first.Dataset,
            KeyColumns = first.Schema.KeyColumns,
            EntityColumn = first.Schema.EntityColumn,
            TimestampColumn = first.Schema.TimestampColumn,
            Events = items.Length == 1 ? first.Events : [.. items.SelectMany(i => i.Events)],
        };
        try
        {
            await BoundedBrokerCall.RunAsync(token => bus.Publish(message, token), BoundedBrokerCall.DefaultLimit, nameof(EventsAccepted), CancellationToken.None);
            foreach (var item in items) item.Published.TrySetResult();
        }
        catch (Exception e)
        {
            LogPublishFailed(logger, e, message.Dataset, message.Events.Count);
            foreach (var item in items) item.Published.TrySetException(e);
        }
        finally
        {
            Interlocked.Add(ref _pendingEvents, -message.Events.Count);
        }
    }

    [LoggerMessage(LogLevel.Error, "Could not publish {Count} events of {Dataset}; their requests are answered 503")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string dataset, int count);
}
