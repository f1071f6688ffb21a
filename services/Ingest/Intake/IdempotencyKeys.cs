using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Vigil.Ingest.Intake;

/// <summary>Idempotency-Key header -> run id, kept in Redis for <see cref="IngestOptions.IdempotencyKeyLifetime"/>.</summary>
public sealed class IdempotencyKeys(IConnectionMultiplexer redis, IOptions<IngestOptions> options)
{
    private static RedisKey KeyFor(string dataset, string idempotencyKey) => $"ingest:idempotency:{dataset}:{idempotencyKey}";

    public async Task<Guid?> FindAsync(string dataset, string idempotencyKey)
    {
        var value = await redis.GetDatabase().StringGetAsync(KeyFor(dataset, idempotencyKey));
        return value.HasValue && Guid.TryParse(value.ToString(), out var runId) ? runId : null;
    }

    public Task RememberAsync(string dataset, string idempotencyKey, Guid runId) =>
        redis.GetDatabase().StringSetAsync(KeyFor(dataset, idempotencyKey), runId.ToString(), options.Value.IdempotencyKeyLifetime);
}
