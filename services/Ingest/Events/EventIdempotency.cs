using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Vigil.Ingest.Intake;
using Vigil.ServiceDefaults.Redis;

namespace Vigil.Ingest.Events;

/// <summary>What an events request's Idempotency-Key finds.</summary>
public enum IdempotencyClaim
{
    /// <summary>The key is new: this request goes on, and completes or releases the key.</summary>
    Claimed,

    /// <summary>A request with the same key and body is being accepted right now.</summary>
    InProgress,

    /// <summary>A request with the same key and body was accepted: answer with its receipt, publish nothing.</summary>
    Accepted,

    /// <summary>The key was used with another body: refuse (422) rather than drop the new events silently.</summary>
    Conflict,
}

/// <summary>
/// Idempotency-Key for event requests, in Redis: a retry after a lost 202 is answered with the first request's receipt
/// instead of putting the events on the bus twice. A key is claimed before its events are queued (SET NX, expiring
/// after <see cref="ClaimLifetime"/> should this Ingest die meanwhile), then holds the receipt for
/// <see cref="IngestOptions.IdempotencyKeyLifetime"/>, or is released when the events were not accepted. Both carry the
/// SHA-256 of the body, so the same key with another body is told apart. Every call is bounded (<see cref="RedisCalls"/>).
/// </summary>
public sealed class EventIdempotency(IConnectionMultiplexer redis, IOptions<IngestOptions> options)
{
    public static readonly TimeSpan ClaimLifetime = TimeSpan.FromMinutes(1);
    private const string Claim = "claimed";

    private static RedisKey KeyFor(string dataset, string idempotencyKey) => $"ingest:idempotency:events:{dataset}:{idempotencyKey}";

    public static string BodyHash(ReadOnlyMemory<byte> body) => Convert.ToHexString(SHA256.HashData(body.Span)).ToLowerInvariant();

    public async Task<(IdempotencyClaim Claim, EventsReceipt? Receipt)> ClaimAsync(string dataset, string idempotencyKey, string bodyHash)
    {
        var database = redis.GetDatabase();
        var key = KeyFor(dataset, idempotencyKey);
        if (await database.StringSetAsync(key, $"{bodyHash}\n{Claim}", ClaimLifetime, When.NotExists).Bounded()) return (IdempotencyClaim.Claimed, null);
        var value = await database.StringGetAsync(key).Bounded();
        if (!value.HasValue) return (IdempotencyClaim.InProgress, null); // released or expired just now: the client retries
        var text = value.ToString();
        var newline = text.IndexOf('\n');
        var (storedHash, rest) = newline < 0 ? ("", text) : (text[..newline], text[(newline + 1)..]);
        if (storedHash != bodyHash) return (IdempotencyClaim.Conflict, null);
        return rest == Claim
            ? (IdempotencyClaim.InProgress, null)
            : (IdempotencyClaim.Accepted, JsonSerializer.Deserialize<EventsReceipt>(rest, JsonSerializerOptions.Web));
    }

    public Task CompleteAsync(string dataset, string idempotencyKey, string bodyHash, EventsReceipt receipt) =>
        redis.GetDatabase().StringSetAsync(KeyFor(dataset, idempotencyKey), $"{bodyHash}\n{JsonSerializer.Serialize(receipt, JsonSerializerOptions.Web)}",
            options.Value.IdempotencyKeyLifetime).Bounded();

    public Task ReleaseAsync(string dataset, string idempotencyKey) => redis.GetDatabase().KeyDeleteAsync(KeyFor(dataset, idempotencyKey)).Bounded();
}
