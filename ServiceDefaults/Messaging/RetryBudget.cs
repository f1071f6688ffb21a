using Microsoft.Extensions.Configuration;

namespace Vigil.ServiceDefaults.Messaging;

/// <summary>
/// How long a consumer keeps trying a message. A failure that says a backing server is out of reach
/// (<see cref="TransientFailures"/>) is retried with exponential back-off long enough to span an ordinary restart
/// (default: 0.5 s doubling up to 60 s, 12 retries, about 6 minutes in all); any other failure a few times quickly
/// (<c>Messaging:RetryIntervalsMs</c>, default 200/1000/3000 ms) before the run is failed.
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
                TimeSpan.FromMilliseconds(transient.GetValue("MaxIntervalMs", 60_000)),
                transient.GetValue("Limit", 12)));
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
