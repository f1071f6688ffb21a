using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Vigil.Ingest.Intake;

namespace Vigil.Ingest.Events;

/// <summary>What an events request's Idempotency-Key finds.</summary>
public enum IdempotencyClaim
{
    /// <summary>The key is new: this request goes on, and completes or releases the key.</summary>
    Claimed,

    /// <summary>A request with the same key is being accepted right now.</summary>
    InProgress,

    /// <summary>A request with the same key was accepted: answer with its receipt, publish nothing.</summary>
    Accepted,
}

/// <summary>
/// Idempotency-Key for event requests, in Redis: a retry after a lost 202 is answered with the first request's receipt
/// instead of putting the events on the bus twice. A key is claimed before its events are queued (SET NX, expiring
/// after <see cref="ClaimLifetime"/> should this Ingest die meanwhile), then holds the receipt for
/// <see cref="IngestOptions.IdempotencyKeyLifetime"/>, or is released when the events were not accepted.
/// </summary>
public sealed class EventIdempotency(IConnectionMultiplexer redis, IOptions<IngestOptions> options)
{
    public static readonly TimeSpan ClaimLifetime = TimeSpan.FromMinutes(1);
    private const string Claim = "claimed";

    private static RedisKey KeyFor(string dataset, string idempotencyKey) => $"ingest:idempotency:events:{dataset}:{idempotencyKey}";

    public async Task<(IdempotencyClaim Claim, EventsReceipt? Receipt)> ClaimAsync(string dataset, string idempotencyKey)
    {
        var database = redis.GetDatabase();
        var key = KeyFor(dataset, idempotencyKey);
        if (await database.StringSetAsync(key, Claim, ClaimLifetime, When.NotExists)) return (IdempotencyClaim.Claimed, null);
        var value = await database.StringGetAsync(key);
        return value.HasValue && value != Claim
            ? (IdempotencyClaim.Accepted, JsonSerializer.Deserialize<EventsReceipt>(value.ToString(), JsonSerializerOptions.Web))
            : (IdempotencyClaim.InProgress, null);
    }

    public Task CompleteAsync(string dataset, string idempotencyKey, EventsReceipt receipt) =>
        redis.GetDatabase().StringSetAsync(KeyFor(dataset, idempotencyKey), JsonSerializer.Serialize(receipt, JsonSerializerOptions.Web),
            options.Value.IdempotencyKeyLifetime);

    public Task ReleaseAsync(string dataset, string idempotencyKey) => redis.GetDatabase().KeyDeleteAsync(KeyFor(dataset, idempotencyKey));
}
