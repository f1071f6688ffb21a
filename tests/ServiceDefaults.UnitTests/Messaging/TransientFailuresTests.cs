using System.Net;
using System.Net.Sockets;
using Amazon.S3;
using Npgsql;
using Vigil.ServiceDefaults.Messaging;

namespace Vigil.ServiceDefaults.UnitTests.Messaging;

public sealed class TransientFailuresTests
{
    public static TheoryData<Exception> OutOfReach() =>
    [
        new TimeoutException("slow"),
        new SocketException((int)SocketError.ConnectionRefused),
        new HttpRequestException("refused"),
        new NpgsqlException("connection lost"),
        new AmazonS3Exception("unavailable") { StatusCode = HttpStatusCode.ServiceUnavailable },
        new InvalidOperationException("wrapped", new TimeoutException("inner")),
    ];

    public static TheoryData<Exception> Permanent() =>
    [
        new InvalidOperationException("bad data"),
        new FormatException("not a number"),
        new AmazonS3Exception("missing") { StatusCode = HttpStatusCode.NotFound, ErrorCode = "NoSuchKey" },
        new ArgumentException("no such dataset"),
    ];

    [Theory]
    [MemberData(nameof(OutOfReach))]
    public void A_server_out_of_reach_is_transient(Exception exception) => Assert.True(TransientFailures.IsTransient(exception));

    [Theory]
    [MemberData(nameof(Permanent))]
    public void A_failure_of_the_message_itself_is_not(Exception exception) => Assert.False(TransientFailures.IsTransient(exception));

    [Fact]
    public void Exponential_intervals_double_up_to_the_cap()
    {
        var intervals = RetryBudget.Exponential(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), 5);
        Assert.Equal([1, 2, 4, 5, 5], intervals.Select(i => i.TotalSeconds));
    }
}
