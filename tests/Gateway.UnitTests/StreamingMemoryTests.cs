using System.Net;
using Vigil.Gateway.UnitTests.Support;
using Xunit.Abstractions;

namespace Vigil.Gateway.UnitTests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationSensitiveCollection
{
    public const string Name = "Allocation-sensitive (runs alone)";
}

/// <summary>
/// A large upload crosses the gateway without the gateway holding it: the whole process (client, gateway and backend
/// together) allocates a small fraction of the body's size. Runs alone, because the allocation counter is process-wide.
/// </summary>
[Collection(AllocationSensitiveCollection.Name)]
public sealed class StreamingMemoryTests(ITestOutputHelper output)
{
    private const long UploadBytes = 256L * 1024 * 1024;
    private const long AllowedAllocation = 32L * 1024 * 1024;

    [Fact]
    public async Task A_256_MB_upload_passes_through_while_the_process_allocates_under_32_MB()
    {
        await using var backend = await TestServers.StartBackendAsync(app => app.MapEcho());
        await using var gateway = await TestServers.StartGatewayAsync(new ProxyConfig()
            .Route("batches", "ingest", "/api/batches", maxRequestBodySize: -1)
            .Cluster("ingest", "http://ingest")
            .Service("ingest", backend.Address).Values);
        using var client = TestHttp.CreateClient(gateway.Address);
        using (var warmUp = await client.PostAsync("/api/batches", new ByteArrayContent(new byte[1024]))) Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);

        var chunk = new byte[64 * 1024];
        var content = new PushContent(async stream =>
        {
            for (long sent = 0; sent < UploadBytes; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk);
            }
        });
        var before = GC.GetTotalAllocatedBytes(precise: true);
        using var response = await client.PostAsync("/api/batches", content);
        var echo = await response.ReadEchoAsync();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        output.WriteLine($"allocated {allocated / (1024.0 * 1024):F1} MB for a {UploadBytes / (1024 * 1024)} MB upload");
        Assert.Equal(UploadBytes, echo.BodyLength);
        Assert.True(allocated < AllowedAllocation, $"allocated {allocated / (1024 * 1024)} MB for a {UploadBytes / (1024 * 1024)} MB upload");
    }
}
