namespace Vigil.Gateway.Limits;

/// <summary>A token bucket: up to <see cref="Capacity"/> requests in a burst, refilled at <see cref="RefillPerSecond"/>.</summary>
public sealed record TokenBucketSettings
{
    public int Capacity { get; init; } = 100;

    public double RefillPerSecond { get; init; } = 20;

    public bool IsValid => Capacity >= 1 && RefillPerSecond > 0 && double.IsFinite(RefillPerSecond);
}
