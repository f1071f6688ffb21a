using System.Net;
using System.Net.Http.Headers;
using Vigil.IntegrationTests.Telemetry;

namespace Vigil.Telemetry.UnitTests;

public sealed class OtlpReceiverHttpTests
{
    [Fact]
    public async Task Endpoint_is_a_loopback_base_address_with_a_real_port()
    {
        await using var receiver = await OtlpReceiver.StartAsync();

        Assert.Equal("http", receiver.Endpoint.Scheme);
        Assert.Equal("127.0.0.1", receiver.Endpoint.Host);
        Assert.NotEqual(0, receiver.Endpoint.Port);
        Assert.Equal("/", receiver.Endpoint.AbsolutePath);
    }

    [Theory]
    [InlineData("/v1/traces")]
    [InlineData("/v1/metrics")]
    [InlineData("/v1/logs")]
    public async Task Export_is_answered_200_with_an_empty_protobuf_body(string path)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        using var http = new HttpClient { BaseAddress = receiver.Endpoint };

        using var response = await http.PostAsync(path, Protobuf([]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Json_export_is_refused_and_named_in_the_timeout_message()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        using var http = new HttpClient { BaseAddress = receiver.Endpoint };

        using var response = await http.PostAsync("/v1/traces", new StringContent("{}", MediaTypeHeaderValue.Parse("application/json")));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var error = await Assert.ThrowsAsync<TimeoutException>(() => receiver.WaitForSpansAsync(s => s.Count > 0, TimeSpan.FromMilliseconds(100)));
        Assert.Contains("/v1/traces: Content-Type 'application/json'", error.Message);
    }

    [Fact]
    public async Task Corrupt_gzip_body_is_answered_400()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        using var http = new HttpClient { BaseAddress = receiver.Endpoint };
        var content = Protobuf([1, 2, 3, 4]);
        content.Headers.ContentEncoding.Add("gzip");

        using var response = await http.PostAsync("/v1/traces", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, receiver.TraceRequests);
    }

    [Fact]
    public async Task Truncated_protobuf_is_answered_400_and_adds_no_spans()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        using var http = new HttpClient { BaseAddress = receiver.Endpoint };

        // resource_spans (field 1, length-delimited) announcing 50 bytes and carrying 2.
        using var response = await http.PostAsync("/v1/traces", Protobuf([0x0A, 50, 0x12, 0x00]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(receiver.Spans);
    }

    private static ByteArrayContent Protobuf(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        return content;
    }
}
