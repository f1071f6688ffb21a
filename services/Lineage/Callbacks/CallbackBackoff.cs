namespace Vigil.Lineage.Callbacks;

/// <summary>When to try again after a failed attempt: the first retry delay doubled per attempt, capped; none after the last.</summary>
public static class CallbackBackoff
{
    /// <param name="attempt">The attempt that just failed (1-based).</param>
    public static TimeSpan? DelayAfter(int attempt, int maxAttempts, TimeSpan first, TimeSpan max)
    {
        if (attempt >= maxAttempts) return null;
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        return TimeSpan.FromTicks((long)Math.Min(first.Ticks * factor, max.Ticks));
    }
}
