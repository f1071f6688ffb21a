using System.Net.Sockets;
using Amazon.Runtime;
using Npgsql;
using StackExchange.Redis;

namespace Vigil.ServiceDefaults.Messaging;

/// <summary>
/// Which exceptions mean "a backing server is out of reach for now" (Postgres, Redis, S3, RabbitMQ, another service)
/// rather than "this message cannot be handled". The first kind is waited out; the second fails its run soon.
/// </summary>
public static class TransientFailures
{
    public static bool IsTransient(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (IsTransientItself(e)) return true;
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsTransient)) return true;
        }
        return false;
    }

    private static bool IsTransientItself(Exception e) => e switch
    {
        PostgresException postgres => postgres.IsTransient || IsServerGoingAway(postgres.SqlState),
        NpgsqlException => true, // not a server-side error: the connection could not be made or was lost
        RedisConnectionException or RedisTimeoutException => true,
        AmazonServiceException s3 => (int)s3.StatusCode is 0 or >= 500 || s3.ErrorCode is "SlowDown" or "RequestTimeout",
        TimeoutException or SocketException or HttpRequestException or IOException => true,
        MassTransit.RequestTimeoutException => true,
        _ => e.GetType().Name is "BrokerUnreachableException" or "AlreadyClosedException" or "RabbitMqConnectionException",
    };

    /// <summary>Connection exceptions (class 08) and the server shutting down or starting up (57P01-57P03).</summary>
    private static bool IsServerGoingAway(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState is "57P01" or "57P02" or "57P03";
}
