using System.Net;

namespace Vigil.Gateway.UnitTests.Support;

/// <summary>Request content whose bytes the test writes itself, as slowly as it likes (no length: chunked).</summary>
internal sealed class PushContent(Func<Stream, Task> write) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => write(stream);

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
