using System.Text.Json;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Vigil.Contracts;
using Vigil.Ingest.Events;

namespace Vigil.Ingest.UnitTests.Events;

/// <summary>The micro-batcher against MassTransit's in-memory transport (a real bus, no broker).</summary>
public sealed class EventBatcherTests : IAsyncLifetime
{
    private static readonly EventSchema Schema = EventSchema.FromDefinition(JsonDocument.Parse("""{"keyColumns": ["id"]}""").RootElement);
    private ServiceProvider _services = null!;
    private ITestHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _services = new ServiceCollection().AddMassTransitTestHarness().BuildServiceProvider(validateScopes: true);
        _harness = _services.GetRequiredService<ITestHarness>();
        await _harness.Start();
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    private async Task<EventBatcher> StartAsync(EventsOptions options)
    {
        var batcher = new EventBatcher(_services.GetRequiredService<IBus>(), Options.Create(options), NullLogger<EventBatcher>.Instance);
        await batcher.StartAsync(CancellationToken.None);
        return batcher;
    }

    private static AcceptedEvent[] Events(string prefix, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new AcceptedEvent(DateTimeOffset.UnixEpoch, $$"""{"id": "{{prefix}}-{{i}}"}"""))];

    private List<EventsAccepted> Published() => [.. _harness.Published.Select<EventsAccepted>().Select(p => p.Context.Message)];

    [Fact]
    public async Task Requests_within_one_window_share_one_message_and_complete_once_it_is_published()
    {
        var batcher = await StartAsync(new EventsOptions { MaxBatchSize = 100, MaxDelayMs = 200 });
        var first = batcher.TryEnqueue("shop.orders", Schema, Events("a", 2))!;
        var second = batcher.TryEnqueue("shop.orders", Schema, Events("b", 3))!;
        var other = batcher.TryEnqueue("shop.returns", Schema, Events("c", 1))!;
        Assert.False(first.IsCompleted);

        await Task.WhenAll(first, second, other).WaitAsync(TimeSpan.FromSeconds(10));

        var messages = Published();
        var orders = Assert.Single(messages, m => m.Dataset == "shop.orders");
        Assert.Equal(["a-0", "a-1", "b-0", "b-1", "b-2"], orders.Events.Select(e => JsonDocument.Parse(e.Json).RootElement.GetProperty("id").GetString()));
        Assert.Equal(["id"], orders.KeyColumns);
        Assert.Single(Assert.Single(messages, m => m.Dataset == "shop.returns").Events);
        Assert.Equal(0, batcher.PendingEvents);
        await batcher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_full_micro_batch_is_published_without_waiting_for_the_window()
    {
        var batcher = await StartAsync(new EventsOptions { MaxBatchSize = 5, MaxDelayMs = 60_000 });
        var first = batcher.TryEnqueue("shop.orders", Schema, Events("a", 3))!;
        var second = batcher.TryEnqueue("shop.orders", Schema, Events("b", 3))!;

        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(6, Assert.Single(Published()).Events.Count); // a request is never split across messages
        await batcher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Events_waiting_in_memory_are_bounded_and_what_waits_is_published_at_shutdown()
    {
        var batcher = await StartAsync(new EventsOptions { MaxBatchSize = 100, MaxDelayMs = 60_000, MaxPendingEvents = 4 });
        var waiting = batcher.TryEnqueue("shop.orders", Schema, Events("a", 3))!;

        Assert.Null(batcher.TryEnqueue("shop.orders", Schema, Events("b", 2)));
        Assert.Equal(3, batcher.PendingEvents);

        await batcher.StopAsync(CancellationToken.None);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(3, Assert.Single(Published()).Events.Count);
        await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.TryEnqueue("shop.orders", Schema, Events("c", 1))!);
    }
}
