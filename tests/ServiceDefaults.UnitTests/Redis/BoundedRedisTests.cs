using System.Diagnostics;
using System.Reflection;
using StackExchange.Redis;
using Vigil.ServiceDefaults.Redis;

namespace Vigil.ServiceDefaults.UnitTests.Redis;

/// <summary>A Redis that never answers makes bounded calls fail with TimeoutException, so callers can fail open.</summary>
public sealed class BoundedRedisTests
{
    [Fact]
    public async Task An_async_call_to_a_database_that_never_answers_times_out()
    {
        var database = BoundedRedis.Wrap(NeverAnswering.Create());
        var waited = Stopwatch.StartNew();

        await Assert.ThrowsAsync<TimeoutException>(() => database.StringSetAsync("k", "v"));
        await Assert.ThrowsAsync<TimeoutException>(() => database.PingAsync());

        Assert.InRange(waited.Elapsed, RedisCalls.Timeout * 2 - TimeSpan.FromMilliseconds(100), RedisCalls.Timeout * 2 + TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void Calls_that_return_no_task_pass_through() =>
        Assert.Equal(NeverAnswering.DatabaseNumber, BoundedRedis.Wrap(NeverAnswering.Create()).Database);

    public class NeverAnswering : DispatchProxy
    {
        public const int DatabaseNumber = 3;

        public static IDatabase Create() => DispatchProxy.Create<IDatabase, NeverAnswering>();

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var returns = targetMethod!.ReturnType;
            if (returns == typeof(int)) return DatabaseNumber;
            if (returns == typeof(Task<bool>)) return new TaskCompletionSource<bool>().Task;
            if (returns == typeof(Task<TimeSpan>)) return new TaskCompletionSource<TimeSpan>().Task;
            throw new NotSupportedException(targetMethod.Name);
        }
    }
}
