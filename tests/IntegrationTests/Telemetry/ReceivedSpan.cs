namespace Vigil.IntegrationTests.Telemetry;

/// <summary>
/// One span as an OTLP exporter sent it. Ids are lowercase hex; ParentSpanId is empty for a root span.
/// Kind is the OTLP SpanKind (0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer),
/// which is .NET's ActivityKind + 1. Attributes hold string, int, bool and double values rendered
/// invariantly ("42", "true", "0.5"); array, kvlist and bytes values are left out.
/// </summary>
public sealed record ReceivedSpan(
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string Name,
    int Kind,
    string ServiceName,
    string ScopeName,
    ulong StartTimeUnixNano,
    ulong EndTimeUnixNano,
    IReadOnlyDictionary<string, string> Attributes)
{
    public bool IsRoot => ParentSpanId.Length == 0;
}
