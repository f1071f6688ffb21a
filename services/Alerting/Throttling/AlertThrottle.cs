using System.Globalization;
using StackExchange.Redis;
using Vigil.Alerting.Policies;
using Vigil.ServiceDefaults.Redis;

namespace Vigil.Alerting.Throttling;

/// <summary>
/// Throttling in Redis: once a condition alerts on a dataset (for a policy), the same condition stays quiet for the
/// policy's window; each time it holds meanwhile is counted, and the count goes out with the next alert and resets.
/// The decision for a run is remembered, so a redelivered event gets the same answer and is not counted twice.
/// </summary>
public sealed partial class AlertThrottle(IConnectionMultiplexer redis, ILogger<AlertThrottle> logger)
{
    // KEYS: window marker, suppressed counter, this run's decision. ARGV: run id, window ms, counter ttl ms, decision ttl ms.
    private const string Script = """
        local decided = redis.call('GET', KEYS[3])
        if decided then return decided end
        local result
        if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
          local count = tonumber(redis.call('GET', KEYS[2]) or '0')
          redis.call('DEL', KEYS[2])
          result = 'send:' .. count
        else
          local count = redis.call('INCR', KEYS[2])
          redis.call('PEXPIRE', KEYS[2], ARGV[3])
          result = 'suppress:' .. count
        end
        redis.call('SET', KEYS[3], result, 'PX', ARGV[4])
        return result
        """;

    private static readonly TimeSpan CounterLifetime = TimeSpan.FromDays(30);
    private static readonly TimeSpan DecisionLifetime = TimeSpan.FromDays(1);

    /// <summary>
    /// Decides for each fired condition whether it alerts now or is throttled. Returns the conditions with their
    /// suppressed counts and the keys of the throttled ones. Without Redis every condition alerts (never lose one).
    /// </summary>
    public async Task<(IReadOnlyList<FiredCondition> Fired, IReadOnlySet<string> Throttled)> DecideAsync(
        Guid runId, string trigger, string dataset, Guid policyId, TimeSpan window, IReadOnlyList<FiredCondition> fired)
    {
        var throttled = new HashSet<string>(StringComparer.Ordinal);
        if (window <= TimeSpan.Zero) return (fired, throttled);

        var counted = new List<FiredCondition>(fired.Count);
        var database = redis.GetDatabase();
        foreach (var condition in fired)
        {
            // One hash tag per (dataset, policy, condition) keeps the three keys in one cluster slot.
            var tag = $"alerting:{{{dataset}|{policyId:n}|{condition.Key}}}";
            string decision;
            try
            {
                decision = (string)(await database.ScriptEvaluateAsync(Script,
                    [$"{tag}:window", $"{tag}:suppressed", $"{tag}:decision:{runId:n}:{trigger}"],
                    [runId.ToString("n"), (long)window.TotalMilliseconds, (long)CounterLifetime.TotalMilliseconds, (long)DecisionLifetime.TotalMilliseconds]).Bounded())!;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogUnthrottled(logger, e, runId, condition.Key);
                counted.Add(condition);
                continue;
            }
            // "send:<suppressed since the last alert>" or "suppress:<suppressed in this window, this one included>"
            var separator = decision.IndexOf(':');
            counted.Add(condition with { SuppressedSinceLast = int.Parse(decision.AsSpan(separator + 1), CultureInfo.InvariantCulture) });
            if (decision.AsSpan(0, separator) is "suppress") throttled.Add(condition.Key);
        }
        return (counted, throttled);
    }

    [LoggerMessage(LogLevel.Warning, "Redis is unavailable; condition {Condition} of run {RunId} alerts without throttling")]
    private static partial void LogUnthrottled(ILogger logger, Exception exception, Guid runId, string condition);
}
