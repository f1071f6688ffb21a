using System.Net.Http.Headers;
using System.Text;
using Vigil.ObjectStore.Tests.Emulator;

namespace Vigil.ObjectStore.Tests;

/// <summary>
/// PutObject bodies as they arrive on the wire, written by hand so each encoding is exercised whatever the SDK chooses:
/// plain, SigV4 streaming (<c>aws-chunked</c> with chunk signatures), and unsigned streaming with a trailing checksum.
/// </summary>
public sealed class RawBodyTests(ObjectStoreFixture fixture) : IClassFixture<ObjectStoreFixture>
{
    private const string Authorization = "AWS4-HMAC-SHA256 Credential=vigil/20261203/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0";

    [Theory]
    [InlineData("plain")]
    [InlineData("signed-chunks")]
    [InlineData("unsigned-chunks-with-trailer")]
    public async Task The_stored_object_is_the_decoded_body_only(string encoding)
    {
        var key = Payloads.UniqueKey("raw", $"{encoding}.bin");
        var content = Payloads.Random(2 * 65_536 + 1_000, seed: encoding.Length);
        using var http = new HttpClient { BaseAddress = fixture.Store.Endpoint };
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/{fixture.Client.Bucket}/{key}");
        request.Headers.TryAddWithoutValidation("Authorization", Authorization);
        if (encoding == "plain")
        {
            request.Content = new ByteArrayContent(content);
        }
        else
        {
            var signed = encoding == "signed-chunks";
            request.Content = new ByteArrayContent(AwsChunked(content, 65_536, signed));
            request.Content.Headers.ContentEncoding.Add("aws-chunked");
            request.Headers.TryAddWithoutValidation("x-amz-content-sha256", signed ? "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" : "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
            request.Headers.TryAddWithoutValidation("x-amz-decoded-content-length", content.Length.ToString());
        }
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        using var response = await http.SendAsync(request);

        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        using var read = await fixture.Client.S3.GetObjectAsync(fixture.Client.Bucket, key);
        Assert.Equal(content.Length, read.ContentLength);
        Assert.Equal(Payloads.Sha256(content), await Payloads.Sha256Async(read.ResponseStream));
        Assert.Null(read.Headers.ContentEncoding);
    }

    [Fact]
    public async Task A_chunked_body_shorter_than_announced_is_refused_and_stores_nothing()
    {
        var key = Payloads.UniqueKey("raw", "short.bin");
        var content = Payloads.Random(5_000, seed: 3);
        using var http = new HttpClient { BaseAddress = fixture.Store.Endpoint };
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/{fixture.Client.Bucket}/{key}") { Content = new ByteArrayContent(AwsChunked(content, 4_096, signed: true)) };
        request.Headers.TryAddWithoutValidation("Authorization", Authorization);
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
        request.Headers.TryAddWithoutValidation("x-amz-decoded-content-length", "6000");

        using var response = await http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<Code>IncompleteBody</Code>", await response.Content.ReadAsStringAsync());
        var missing = await Assert.ThrowsAnyAsync<Amazon.S3.AmazonS3Exception>(() => fixture.Client.S3.GetObjectMetadataAsync(fixture.Client.Bucket, key));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }

    /// <summary><c>hex-size[;chunk-signature=…]\r\n data \r\n</c> per chunk, then the zero chunk (and a CRC32 trailer when unsigned).</summary>
    private static byte[] AwsChunked(byte[] content, int chunkSize, bool signed)
    {
        var signature = signed ? ";chunk-signature=" + new string('0', 64) : "";
        using var body = new MemoryStream();
        void Text(string text) => body.Write(Encoding.ASCII.GetBytes(text));
        for (var offset = 0; offset < content.Length; offset += chunkSize)
        {
            var length = Math.Min(chunkSize, content.Length - offset);
            Text($"{length:x}{signature}\r\n");
            body.Write(content, offset, length);
            Text("\r\n");
        }
        Text($"0{signature}\r\n");
        if (!signed) Text("x-amz-checksum-crc32:AAAAAA==\r\n");
        Text("\r\n");
        return body.ToArray();
    }
}
