using Microsoft.Extensions.Configuration;

namespace Vigil.ServiceDefaults.Messaging;

/// <summary>
/// How long a consumer keeps trying a message. A failure that says a backing server is out of reach
/// (<see cref="TransientFailures"/>) is retried with exponential back-off long enough to span an ordinary restart
/// (default: 0.5 s doubling up to 15 s, 28 retries, about 6 minutes in all); any other failure a few times quickly
/// (<c>Messaging:RetryIntervalsMs</c>, default 200/1000/3000 ms) before the run is failed. The longest interval is also
/// how long a message can sit after its server is back, per stage: 15 s keeps recovery after an outage within seconds
/// (at 60 s, three stages each waiting out one long interval made a run complete minutes after the broker returned).
/// </summary>
public sealed record RetryBudget(TimeSpan[] Intervals, TimeSpan[] TransientIntervals)
{
    public const string Section = "Messaging";

    public TimeSpan TransientTotal => TransientIntervals.Aggregate(TimeSpan.Zero, (sum, next) => sum + next);

    public static RetryBudget From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var intervals = section.GetSection("RetryIntervalsMs").Get<int[]>() is { Length: > 0 } configured ? configured : [200, 1000, 3000];
        var transient = section.GetSection("TransientRetry");
        return new RetryBudget(
            [.. intervals.Select(ms => TimeSpan.FromMilliseconds(ms))],
            Exponential(
                TimeSpan.FromMilliseconds(transient.GetValue("FirstIntervalMs", 500)),
                TimeSpan.FromMilliseconds(transient.GetValue("MaxIntervalMs", 15_000)),
                transient.GetValue("Limit", 28)));
    }

    /// <summary><paramref name="limit"/> intervals starting at <paramref name="first"/>, each double the last, none over <paramref name="max"/>.</summary>
    public static TimeSpan[] Exponential(TimeSpan first, TimeSpan max, int limit)
    {
        if (first <= TimeSpan.Zero || max < first || limit < 0)
            throw new ArgumentOutOfRangeException(nameof(first), "Messaging:TransientRetry needs FirstIntervalMs > 0, MaxIntervalMs >= FirstIntervalMs and Limit >= 0.");
        var intervals = new TimeSpan[limit];
        var next = first;
        for (var i = 0; i < limit; i++)
        {
            intervals[i] = next;
            next = next * 2 > max ? max : next * 2;
        }
        return intervals;
    }
}
