using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using Vigil.Dashboard.Access;

namespace Vigil.Dashboard.Api;

/// <summary>
/// Vigil's public API through the gateway, with the signed-in person's key in X-Api-Key on every request, so the
/// gateway checks its scopes and rate limit exactly as for any other client. The key never leaves the server.
/// </summary>
public sealed class VigilApi(HttpClient http, ApiKeyAccessor key)
{
    public const string HttpClientName = "vigil-api";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<ApiResult<IReadOnlyList<DatasetInfo>>> DatasetsAsync(CancellationToken ct) => GetAsync<IReadOnlyList<DatasetInfo>>("api/datasets", ct);

    public Task<ApiResult<DatasetInfo>> DatasetAsync(string name, CancellationToken ct) => GetAsync<DatasetInfo>($"api/datasets/{Esc(name)}", ct);

    public Task<ApiResult<JsonElement>> SchemaAsync(string name, CancellationToken ct) => GetAsync<JsonElement>($"api/datasets/{Esc(name)}/schema", ct);

    public Task<ApiResult<DatasetHistory>> HistoryAsync(string name, int limit, CancellationToken ct) =>
        GetAsync<DatasetHistory>($"api/datasets/{Esc(name)}/history?limit={limit}", ct);

    public Task<ApiResult<RunPage>> RunsAsync(string? dataset, string? status, int limit, int offset, CancellationToken ct) =>
        GetAsync<RunPage>($"api/runs?limit={limit}&offset={offset}{Query("dataset", dataset)}{Query("status", status)}", ct);

    public Task<ApiResult<RunInfo>> RunAsync(Guid id, CancellationToken ct) => GetAsync<RunInfo>($"api/runs/{id}", ct);

    public Task<ApiResult<ValidationReport>> ValidationReportAsync(Guid id, CancellationToken ct) =>
        GetAsync<ValidationReport>($"api/runs/{id}/reports/validation", ct);

    public Task<ApiResult<AnomalyPage>> AnomaliesAsync(Guid id, string? decision, int limit, int offset, CancellationToken ct) =>
        GetAsync<AnomalyPage>($"api/runs/{id}/anomalies?limit={limit}&offset={offset}{Query("decision", decision)}", ct);

    public Task<ApiResult<IReadOnlyList<ScoringInfo>>> ScoringsAsync(Guid id, CancellationToken ct) =>
        GetAsync<IReadOnlyList<ScoringInfo>>($"api/runs/{id}/scores", ct);

    public Task<ApiResult<LineageGraph>> LineageAsync(string dataset, CancellationToken ct) =>
        GetAsync<LineageGraph>($"api/lineage/datasets/{Esc(dataset)}", ct);

    public Task<ApiResult<IReadOnlyList<ModelInfo>>> ModelsAsync(string dataset, CancellationToken ct) =>
        GetAsync<IReadOnlyList<ModelInfo>>($"api/datasets/{Esc(dataset)}/models", ct);

    public Task<ApiResult<ModelInfo>> PromoteAsync(string dataset, int version, CancellationToken ct) =>
        SendAsync<ModelInfo>(HttpMethod.Post, $"api/datasets/{Esc(dataset)}/models/{version}/promote", ct);

    public Task<ApiResult<ModelInfo>> RollBackAsync(string dataset, CancellationToken ct) =>
        SendAsync<ModelInfo>(HttpMethod.Post, $"api/datasets/{Esc(dataset)}/models/rollback", ct);

    public Task<ApiResult<SchemaBaselineInfo>> AcceptSchemaAsync(string dataset, Guid runId, CancellationToken ct) =>
        SendAsync<SchemaBaselineInfo>(HttpMethod.Post, $"api/datasets/{Esc(dataset)}/schema/accept", ct, new { runId });

    public Task<ApiResult<SchemaBaselineInfo>> ResetSchemaAsync(string dataset, CancellationToken ct) =>
        SendAsync<SchemaBaselineInfo>(HttpMethod.Post, $"api/datasets/{Esc(dataset)}/schema/reset", ct);

    /// <summary>The error queues the gateway's /api/system route reaches (the scoring service's) with their message counts.</summary>
    public Task<ApiResult<IReadOnlyList<DeadLetterQueueInfo>>> DeadLetterQueuesAsync(CancellationToken ct) =>
        GetAsync<IReadOnlyList<DeadLetterQueueInfo>>("api/system/dead-letters", ct);

    public Task<ApiResult<ReplayInfo>> ReplayDeadLettersAsync(string queue, CancellationToken ct) =>
        SendAsync<ReplayInfo>(HttpMethod.Post, $"api/system/dead-letters/{Esc(queue)}/replay", ct);

    public Task<ApiResult<EventStats>> EventStatsAsync(string dataset, DateTimeOffset since, CancellationToken ct) =>
        GetAsync<EventStats>($"api/datasets/{Esc(dataset)}/events/stats?since={Esc(since.ToString("O"))}", ct);

    public Task<ApiResult<EventAnomalyPage>> EventAnomaliesAsync(string dataset, DateTimeOffset since, int limit, CancellationToken ct) =>
        GetAsync<EventAnomalyPage>($"api/datasets/{Esc(dataset)}/events/anomalies?since={Esc(since.ToString("O"))}&limit={limit}", ct);

    public Task<ApiResult<IReadOnlyList<AlertInfo>>> AlertsAsync(string? status, int limit, CancellationToken ct) =>
        GetAsync<IReadOnlyList<AlertInfo>>($"api/alerts?limit={limit}{Query("status", status)}", ct);

    public Task<ApiResult<IReadOnlyList<DeadLetterInfo>>> AlertDeadLettersAsync(int limit, CancellationToken ct) =>
        GetAsync<IReadOnlyList<DeadLetterInfo>>($"api/alerts/dead-letters?limit={limit}", ct);

    public Task<ApiResult<IReadOnlyList<StuckRunInfo>>> StuckRunsAsync(int limit, CancellationToken ct) =>
        GetAsync<IReadOnlyList<StuckRunInfo>>($"api/alerts/stuck-runs?limit={limit}", ct);

    public Task<ApiResult<IReadOnlyList<PolicyInfo>>> PoliciesAsync(CancellationToken ct) => GetAsync<IReadOnlyList<PolicyInfo>>("api/alerts/policies", ct);

    /// <summary>A report's bytes as the API streams them (the caller disposes the response).</summary>
    public async Task<HttpResponseMessage> OpenReportAsync(Guid id, string kind, CancellationToken ct) =>
        await http.SendAsync(Request(HttpMethod.Get, $"api/runs/{id}/reports/{Esc(kind)}"), HttpCompletionOption.ResponseHeadersRead, ct);

    /// <summary>Checks a key before it is kept: any answer but 401 means the gateway knows it; 403 means it lacks read.</summary>
    public async Task<ApiResult<IReadOnlyList<DatasetInfo>>> CheckKeyAsync(string candidate, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/datasets");
        request.Headers.Add("X-Api-Key", candidate);
        try
        {
            using var response = await http.SendAsync(request, ct);
            return await ReadAsync<IReadOnlyList<DatasetInfo>>(response, ct);
        }
        catch (HttpRequestException e)
        {
            return Unreachable<IReadOnlyList<DatasetInfo>>(e);
        }
    }

    private Task<ApiResult<T>> GetAsync<T>(string path, CancellationToken ct) => SendAsync<T>(HttpMethod.Get, path, ct);

    private async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, CancellationToken ct, object? body = null)
    {
        try
        {
            using var request = Request(method, path);
            if (body is not null) request.Content = JsonContent.Create(body, options: Json);
            using var response = await http.SendAsync(request, ct);
            return await ReadAsync<T>(response, ct);
        }
        catch (HttpRequestException e)
        {
            return Unreachable<T>(e);
        }
    }

    private static ApiResult<T> Unreachable<T>(HttpRequestException e) =>
        new(default, HttpStatusCode.BadGateway, "Gateway unreachable", $"The gateway could not be reached ({e.Message}); try again in a moment.");

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        if (key.Current is { } current) request.Headers.Add("X-Api-Key", current);
        return request;
    }

    private static async Task<ApiResult<T>> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
            return new ApiResult<T>(await response.Content.ReadFromJsonAsync<T>(Json, ct), response.StatusCode);
        string? title = null, detail = null;
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct);
            if (problem.ValueKind == JsonValueKind.Object)
            {
                title = problem.TryGetProperty("title", out var t) ? t.GetString() : null;
                detail = problem.TryGetProperty("detail", out var d) ? d.GetString() : null;
            }
        }
        catch (JsonException)
        {
            // Not problem+json: the status says enough.
        }
        return new ApiResult<T>(default, response.StatusCode, title, detail);
    }

    private static string Esc(string value) => Uri.EscapeDataString(value);

    private static string Query(string name, string? value) => string.IsNullOrEmpty(value) ? "" : $"&{name}={Esc(value)}";
}
