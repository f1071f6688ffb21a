using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Vigil.IntegrationTests.Infrastructure;

/// <summary>
/// The tests' typed view of the API through the gateway: submit a batch, read a run, wait for it to end, page its
/// anomalies and list runs, as records instead of hand-walked JSON.
/// </summary>
public sealed class VigilClient(HttpClient gateway)
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    /// <summary>POSTs a batch and answers the raw response, for tests about the answer itself (status, problem, headers).</summary>
    public Task<HttpResponseMessage> PostBatchAsync(string dataset, string body, string contentType, string query = "", Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/datasets/{dataset}/batches{query}")
        {
            Content = new StringContent(body, Encoding.UTF8, contentType),
        };
        configure?.Invoke(request);
        return gateway.SendAsync(request);
    }

    /// <summary>Submits a batch that must be accepted (202 with a Location under /api/runs/).</summary>
    public async Task<AcceptedBatch> SubmitBatchAsync(string dataset, string body, string contentType = "text/csv", Action<HttpRequestMessage>? configure = null,
        string query = "")
    {
        using var response = await PostBatchAsync(dataset, body, contentType, query, configure);
        if (response.StatusCode != HttpStatusCode.Accepted)
            throw new InvalidOperationException($"Expected 202 for a batch of {dataset}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        if (response.Headers.Location?.OriginalString.StartsWith("/api/runs/", StringComparison.Ordinal) != true)
            throw new InvalidOperationException($"The 202 for a batch of {dataset} has Location '{response.Headers.Location}', not /api/runs/{{id}}.");
        return await ReadAsync<AcceptedBatch>(response);
    }

    /// <summary>The run, or null while it is not known (404).</summary>
    public async Task<Run?> GetRunAsync(Guid runId)
    {
        using var response = await gateway.GetAsync($"/api/runs/{runId}");
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<Run>(response);
    }

    /// <summary>
    /// Polls the run until it is completed or failed; a completed one also until its validation summary is there,
    /// unless <paramref name="withValidation"/> is false (Lineage hears each stage on its own queue, so a scored run can
    /// be seen completed a moment before its validation lands).
    /// </summary>
    public async Task<Run> WaitForRunAsync(Guid runId, TimeSpan? timeout = null, bool withValidation = true)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        Run? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await GetRunAsync(runId) ?? last;
            if (last is { Status: "failed" } || last is { Status: "completed" } && (!withValidation || last.Validation is not null))
                return last;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Run {runId} did not end in time; last seen: {(last is null ? "never" : JsonSerializer.Serialize(last, Json))}");
    }

    /// <summary>GET /api/runs with a query string such as "dataset=x&amp;status=failed".</summary>
    public async Task<RunPage> ListRunsAsync(string query = "")
    {
        using var response = await gateway.GetAsync($"/api/runs{(query.Length > 0 ? "?" + query : "")}");
        return await ReadAsync<RunPage>(response);
    }

    /// <summary>A page of a run's anomalies, highest risk first.</summary>
    public async Task<AnomalyPage> ListAnomaliesAsync(Guid runId, string query = "")
    {
        using var response = await gateway.GetAsync($"/api/runs/{runId}/anomalies{(query.Length > 0 ? "?" + query : "")}");
        return await ReadAsync<AnomalyPage>(response);
    }

    /// <summary>A run's validation report.</summary>
    public async Task<ValidationReport> GetValidationReportAsync(Guid runId)
    {
        using var response = await gateway.GetAsync($"/api/runs/{runId}/reports/{Contracts.ReportKinds.Validation}");
        return await ReadAsync<ValidationReport>(response);
    }

    /// <summary>Reads a problem+json answer, checking its media type and that its status matches the response's.</summary>
    public static async Task<Problem> ReadProblemAsync(HttpResponseMessage response)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            throw new InvalidOperationException($"Expected problem+json, got {response.Content.Headers.ContentType}: {await response.Content.ReadAsStringAsync()}");
        var problem = await response.Content.ReadFromJsonAsync<Problem>(Json) ?? throw new InvalidOperationException("Empty problem body.");
        if (problem.Status != (int)response.StatusCode)
            throw new InvalidOperationException($"The problem says {problem.Status}, the response {(int)response.StatusCode}.");
        return problem;
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<T>(Json) ?? throw new InvalidOperationException($"Empty {typeof(T).Name} body.");
    }
}
