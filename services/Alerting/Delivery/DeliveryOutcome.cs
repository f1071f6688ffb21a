namespace Vigil.Alerting.Delivery;

/// <summary>What one attempt at a channel came to. A failure is retried when it may pass (timeouts, 5xx, 429), not when it cannot (other 4xx).</summary>
public sealed record DeliveryOutcome(bool Delivered, bool Retryable, string? Error)
{
    public static readonly DeliveryOutcome Success = new(true, false, null);

    public static DeliveryOutcome Transient(string error) => new(false, true, error);

    public static DeliveryOutcome Permanent(string error) => new(false, false, error);
}
