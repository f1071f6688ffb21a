namespace Vigil.ServiceDefaults.Redis;

/// <summary>
/// Every Redis call a request waits on is bounded here, on the caller's side: a Redis that hangs (a stopped process,
/// a full network buffer) fails the call with <see cref="TimeoutException"/> after <see cref="Timeout"/>, whatever the
/// client library's own timeout handling does, so callers that fail open can do so.
/// </summary>
public static class RedisCalls
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public static Task<T> Bounded<T>(this Task<T> call) => call.WaitAsync(Timeout);

    public static Task Bounded(this Task call) => call.WaitAsync(Timeout);
}
