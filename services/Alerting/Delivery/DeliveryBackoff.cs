namespace Vigil.Alerting.Delivery;

/// <summary>Exponential backoff between delivery attempts. Pure, so the schedule is testable.</summary>
public static class DeliveryBackoff
{
    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based): first x 2^(attempt-1), at most <paramref name="max"/>.</summary>
    public static TimeSpan Delay(int attempt, TimeSpan first, TimeSpan max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        var delay = first.TotalMilliseconds * factor;
        return delay >= max.TotalMilliseconds ? max : TimeSpan.FromMilliseconds(delay);
    }
}
