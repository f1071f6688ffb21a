using System.Globalization;
using StackExchange.Redis;

namespace Vigil.Scoring.Events;

/// <summary>
/// Per-entity rolling statistics in Redis: one hash per (dataset, entity) with fields <c>{column}:n</c>,
/// <c>{column}:mean</c> and <c>{column}:m2</c>. A whole micro-batch is scored and folded in by one Lua script, so it
/// costs one round trip and is atomic against concurrent micro-batches of the same dataset. Each observation is
/// scored against the statistics before it (an event never vouches for itself). A redelivered micro-batch is
/// recognised by its id and scored without being added a second time.
/// </summary>
public sealed class EntityStatisticsStore(IConnectionMultiplexer redis)
{
    private static readonly TimeSpan RememberBatchesFor = TimeSpan.FromDays(1);

    // KEYS: the entity hashes, then the micro-batch marker. ARGV: the marker's lifetime in seconds, then one
    // (key index, column, value) triple per observation. Returns prior count and z per observation, as text
    // (Lua numbers would be truncated to integers on the way back).
    private const string Script = """
        local marker = KEYS[#KEYS]
        local fresh = redis.call('SET', marker, '1', 'NX', 'EX', tonumber(ARGV[1]))
        local out = {}
        for i = 2, #ARGV, 3 do
          local key = KEYS[tonumber(ARGV[i])]
          local column = ARGV[i + 1]
          local x = tonumber(ARGV[i + 2])
          local stored = redis.call('HMGET', key, column .. ':n', column .. ':mean', column .. ':m2')
          local n = tonumber(stored[1]) or 0
          local mean = tonumber(stored[2]) or 0
          local m2 = tonumber(stored[3]) or 0
          local z = 0
          if n > 1 then
            local spread = math.max(math.sqrt(m2 / (n - 1)), 1e-6 * math.max(1, math.abs(mean)))
            z = (x - mean) / spread
          end
          out[#out + 1] = tostring(n)
          out[#out + 1] = string.format('%.17g', z)
          if fresh then
            n = n + 1
            local delta = x - mean
            mean = mean + delta / n
            m2 = m2 + delta * (x - mean)
            redis.call('HMSET', key, column .. ':n', n, column .. ':mean', string.format('%.17g', mean), column .. ':m2', string.format('%.17g', m2))
          end
        end
        return out
        """;

    public static string EntityKey(string dataset, string entity) => $"vigil:events:stats:{{{dataset}}}:{entity}";

    /// <summary>Scores every observation against its entity's statistics and adds it to them (once per micro-batch id).</summary>
    public async Task<ObservationScore[]> ScoreAndAddAsync(string dataset, Guid batchId, IReadOnlyList<EntityObservation> observations)
    {
        if (observations.Count == 0) return [];
        var keyIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var keys = new List<RedisKey>();
        var args = new List<RedisValue>(1 + 3 * observations.Count) { (long)RememberBatchesFor.TotalSeconds };
        foreach (var observation in observations)
        {
            if (!keyIndex.TryGetValue(observation.Entity, out var index))
            {
                keys.Add(EntityKey(dataset, observation.Entity));
                index = keyIndex[observation.Entity] = keys.Count; // Lua arrays start at 1
            }
            args.Add(index);
            args.Add(observation.Column);
            args.Add(observation.Value.ToString("R", CultureInfo.InvariantCulture));
        }
        keys.Add($"vigil:events:batch:{{{dataset}}}:{batchId:n}");
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Script, [.. keys], [.. args]))!;
        var scores = new ObservationScore[observations.Count];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = new ObservationScore(
                long.Parse((string)result[2 * i]!, CultureInfo.InvariantCulture),
                double.Parse((string)result[2 * i + 1]!, CultureInfo.InvariantCulture));
        }
        return scores;
    }
}
