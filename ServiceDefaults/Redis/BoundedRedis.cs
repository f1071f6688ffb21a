using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;
using StackExchange.Redis;

namespace Vigil.ServiceDefaults.Redis;

/// <summary>
/// Wraps the shared multiplexer so that every asynchronous call on the databases it hands out fails with
/// <see cref="TimeoutException"/> after <see cref="RedisCalls.Timeout"/>, whatever the client library does with a server
/// that accepts connections but never answers (a stopped or overloaded Redis). Callers that fail open (the gateway's
/// rate limiter, alert throttling) then do so instead of hanging. Everything else passes through unchanged.
/// </summary>
public static class BoundedRedis
{
    public static IConnectionMultiplexer Wrap(IConnectionMultiplexer inner)
    {
        var proxy = DispatchProxy.Create<IConnectionMultiplexer, MultiplexerProxy>();
        ((MultiplexerProxy)(object)proxy).Inner = inner;
        return proxy;
    }

    public static IDatabase Wrap(IDatabase inner)
    {
        var proxy = DispatchProxy.Create<IDatabase, DatabaseProxy>();
        ((DatabaseProxy)(object)proxy).Inner = inner;
        return proxy;
    }

    private static object? Forward(object target, MethodInfo method, object?[]? args)
    {
        try
        {
            return method.Invoke(target, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    public class MultiplexerProxy : DispatchProxy
    {
        internal IConnectionMultiplexer Inner { get; set; } = null!;

        /// <summary>Databases (GetDatabase) come back bounded; every other call and result passes through.</summary>
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var result = Forward(Inner, targetMethod!, args);
            return result is IDatabase database ? Wrap(database) : result;
        }
    }

    public class DatabaseProxy : DispatchProxy
    {
        private static readonly MethodInfo BoundOfT = typeof(DatabaseProxy).GetMethod(nameof(Bound), BindingFlags.NonPublic | BindingFlags.Static)!;
        private static readonly ConcurrentDictionary<Type, MethodInfo> BoundByResult = new();

        internal IDatabase Inner { get; set; } = null!;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var result = Forward(Inner, targetMethod!, args);
            if (result is not Task task) return result;
            var returnType = targetMethod!.ReturnType;
            return returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>)
                ? BoundByResult.GetOrAdd(returnType.GetGenericArguments()[0], t => BoundOfT.MakeGenericMethod(t)).Invoke(null, [task])
                : task.WaitAsync(RedisCalls.Timeout);
        }

        private static Task<T> Bound<T>(Task<T> call) => call.WaitAsync(RedisCalls.Timeout);
    }
}
