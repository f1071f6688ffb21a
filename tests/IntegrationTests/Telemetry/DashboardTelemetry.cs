using System.Globalization;
using System.Text.Json;

namespace Vigil.IntegrationTests.Telemetry;

/// <summary>
/// Reads what the services exported to the Aspire dashboard, through the dashboard's telemetry HTTP API
/// (<c>GET /api/telemetry/spans</c> and <c>/resources</c>, authenticated in x-api-key with the key the fixture gave the
/// AppHost as AppHost:DashboardApiKey). Spans come back as OTLP JSON; they are flattened into <see cref="ReceivedSpan"/>s.
/// </summary>
public sealed class DashboardTelemetry(Uri dashboard, string apiKey) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = dashboard, Timeout = TimeSpan.FromSeconds(30), DefaultRequestHeaders = { { "x-api-key", apiKey } } };

    private string _lastAnswer = "";

    public Uri Dashboard { get; } = dashboard;

    /// <summary>The spans the dashboard holds right now: all of them, or one trace's.</summary>
    public async Task<IReadOnlyList<ReceivedSpan>> GetSpansAsync(string? traceId = null, CancellationToken cancellationToken = default)
    {
        using var document = await GetAsync(traceId is null ? "spans?limit=100000" : $"spans?traceId={traceId}&limit=100000", cancellationToken);
        var spans = new List<ReceivedSpan>();
        Collect(document.RootElement, spans);
        return spans;
    }

    /// <summary>
    /// Names of the resources the dashboard holds telemetry of the given kind for (<c>GET /api/telemetry/resources</c>,
    /// whose entries say hasLogs, hasTraces, hasMetrics).
    /// </summary>
    public async Task<IReadOnlyList<string>> ResourcesWithAsync(string kind, CancellationToken cancellationToken = default)
    {
        using var document = await GetAsync("resources", cancellationToken);
        var flag = "has" + char.ToUpperInvariant(kind[0]) + kind[1..];
        return [.. document.RootElement.EnumerateArray()
            .Where(r => r.TryGetProperty(flag, out var has) && has.ValueKind == JsonValueKind.True)
            .Select(r => r.GetProperty("name").GetString()!)
            .Distinct()];
    }

    /// <summary>Polls until the dashboard holds <paramref name="kind"/> (logs, traces, metrics) from every one of <paramref name="resources"/>.</summary>
    public async Task<IReadOnlyList<string>> WaitForResourcesAsync(string kind, IReadOnlyCollection<string> resources, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        IReadOnlyList<string> found = [];
        while (DateTime.UtcNow < deadline)
        {
            found = await ResourcesWithAsync(kind);
            if (resources.All(found.Contains)) return found;
            await Task.Delay(250);
        }
        throw new TimeoutException($"The dashboard has {kind} only from {string.Join(", ", found)}; expected {string.Join(", ", resources)}.");
    }

    private async Task<JsonDocument> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync($"/api/telemetry/{path}", cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"The dashboard's telemetry API answered {(int)response.StatusCode} to {path}: {body}");
        _lastAnswer = body;
        return JsonDocument.Parse(body);
    }

    /// <summary>Polls the dashboard until <paramref name="done"/> holds for the spans it has (of one trace, if given), or the timeout passes.</summary>
    public async Task<IReadOnlyList<ReceivedSpan>> WaitForSpansAsync(Func<IReadOnlyList<ReceivedSpan>, bool> done, TimeSpan timeout, string? traceId = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        IReadOnlyList<ReceivedSpan> spans = [];
        while (DateTime.UtcNow < deadline)
        {
            spans = await GetSpansAsync(traceId);
            if (done(spans)) return spans;
            await Task.Delay(250);
        }
        var services = string.Join(", ", spans.GroupBy(s => s.ServiceName).Select(g => $"{g.Key}: {g.Count()}"));
        throw new TimeoutException($"The dashboard did not have the expected spans within {timeout.TotalSeconds:0} s; it has {spans.Count} ({services}). Its last answer began: {_lastAnswer[..Math.Min(300, _lastAnswer.Length)]}");
    }

    /// <summary>Finds every OTLP <c>resourceSpans</c> array in the answer, wherever the API nests it.</summary>
    private static void Collect(JsonElement element, List<ReceivedSpan> spans)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray()) Collect(item, spans);
            return;
        }
        if (element.ValueKind != JsonValueKind.Object) return;
        foreach (var property in element.EnumerateObject())
        {
            if (property.NameEquals("resourceSpans") && property.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var resourceSpans in property.Value.EnumerateArray()) AddResourceSpans(resourceSpans, spans);
            }
            else
            {
                Collect(property.Value, spans);
            }
        }
    }

    private static void AddResourceSpans(JsonElement resourceSpans, List<ReceivedSpan> spans)
    {
        var resource = resourceSpans.TryGetProperty("resource", out var r) ? Attributes(r) : new Dictionary<string, string>();
        var service = resource.GetValueOrDefault("service.name", "");
        if (!resourceSpans.TryGetProperty("scopeSpans", out var scopes)) return;
        foreach (var scope in scopes.EnumerateArray())
        {
            var scopeName = scope.TryGetProperty("scope", out var s) && s.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
            if (!scope.TryGetProperty("spans", out var items)) continue;
            foreach (var span in items.EnumerateArray())
            {
                spans.Add(new ReceivedSpan(
                    Text(span, "traceId").ToLowerInvariant(),
                    Text(span, "spanId").ToLowerInvariant(),
                    Text(span, "parentSpanId").ToLowerInvariant(),
                    Text(span, "name"),
                    span.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.Number ? kind.GetInt32() : 0,
                    service,
                    scopeName,
                    ulong.TryParse(Text(span, "startTimeUnixNano"), CultureInfo.InvariantCulture, out var start) ? start : 0,
                    ulong.TryParse(Text(span, "endTimeUnixNano"), CultureInfo.InvariantCulture, out var end) ? end : 0,
                    Attributes(span)));
            }
        }
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.ToString() : "";

    /// <summary>OTLP JSON attributes ({key, value: {stringValue|intValue|boolValue|doubleValue}}) as invariant strings.</summary>
    private static Dictionary<string, string> Attributes(JsonElement owner)
    {
        var attributes = new Dictionary<string, string>();
        if (!owner.TryGetProperty("attributes", out var list) || list.ValueKind != JsonValueKind.Array) return attributes;
        foreach (var attribute in list.EnumerateArray())
        {
            if (!attribute.TryGetProperty("key", out var key) || !attribute.TryGetProperty("value", out var value)) continue;
            foreach (var typed in value.EnumerateObject())
            {
                if (typed.Name is "stringValue" or "intValue" or "boolValue" or "doubleValue")
                    attributes[key.GetString()!] = typed.Value.ValueKind == JsonValueKind.String ? typed.Value.GetString()! : typed.Value.GetRawText();
            }
        }
        return attributes;
    }

    public void Dispose() => _http.Dispose();
}
