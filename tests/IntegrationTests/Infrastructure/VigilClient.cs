using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Vigil.IntegrationTests.Infrastructure;

/// <summary>
/// The tests' typed view of the API through the gateway (or, given another client, straight to a service): submit a
/// batch or a reconciliation pair, read a run, wait for it to end, page its anomalies and list runs, as records instead
/// of hand-walked JSON; and the one polling loop every wait is built on (<see cref="PollAsync"/>).
/// </summary>
public sealed class VigilClient(HttpClient gateway)
{
    /// <summary>The execution date the tests give a batch when the date itself does not matter to them.</summary>
    public const string DefaultExecutionDate = "2026-11-20";

    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    /// <summary>
    /// The query string of an intake request ("" when nothing is given): executionDate (yyyy-MM-dd, or any text for
    /// a test of a bad one), callbackUrl and rerun.
    /// </summary>
    public static string IntakeQuery(string? executionDate = DefaultExecutionDate, string? callbackUrl = null, bool rerun = false)
    {
        var parts = new List<string>();
        if (executionDate is not null) parts.Add($"executionDate={Uri.EscapeDataString(executionDate)}");
        if (callbackUrl is not null) parts.Add($"callbackUrl={Uri.EscapeDataString(callbackUrl)}");
        if (rerun) parts.Add("rerun=true");
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    /// <summary>Sets the Idempotency-Key header of a request, or leaves it without one when <paramref name="key"/> is null.</summary>
    public static Action<HttpRequestMessage>? WithIdempotencyKey(string? key) =>
        key is null ? null : request => request.Headers.Add("Idempotency-Key", key);

    /// <summary>POSTs a CSV batch and answers the raw response (for tests of the answer: a duplicate, a conflict, a refusal).</summary>
    public Task<HttpResponseMessage> PostCsvAsync(string dataset, string csv, string? executionDate = DefaultExecutionDate, string? idempotencyKey = null,
        string? callbackUrl = null) =>
        PostBatchAsync(dataset, csv, "text/csv", IntakeQuery(executionDate, callbackUrl), WithIdempotencyKey(idempotencyKey));

    /// <summary>Submits a CSV batch that must be accepted (see <see cref="SubmitBatchAsync"/>).</summary>
    public Task<AcceptedBatch> SubmitCsvAsync(string dataset, string csv, string? executionDate = DefaultExecutionDate, string? idempotencyKey = null,
        string? callbackUrl = null) =>
        SubmitBatchAsync(dataset, csv, "text/csv", WithIdempotencyKey(idempotencyKey), IntakeQuery(executionDate, callbackUrl));

    /// <summary>Submits a CSV batch and waits for its run, which must complete; the run as it ended.</summary>
    public async Task<Run> CompleteCsvAsync(string dataset, string csv, string? executionDate = DefaultExecutionDate, TimeSpan? timeout = null)
    {
        var accepted = await SubmitCsvAsync(dataset, csv, executionDate);
        var run = await WaitForRunAsync(accepted.RunId, timeout);
        return run.Status == "completed"
            ? run
            : throw new InvalidOperationException($"Run {run.RunId} of {dataset} ended {run.Status}: {JsonSerializer.Serialize(run, Json)}");
    }

    /// <summary>POSTs a source/target pair of CSV files as multipart/form-data and answers the raw response.</summary>
    public Task<HttpResponseMessage> PostReconciliationAsync(string dataset, string sourceCsv, string targetCsv, string? executionDate = DefaultExecutionDate)
    {
        var form = new MultipartFormDataContent
        {
            { CsvPart(sourceCsv), "source", "source.csv" },
            { CsvPart(targetCsv), "target", "target.csv" },
        };
        return gateway.PostAsync($"/api/datasets/{dataset}/reconciliations{IntakeQuery(executionDate)}", form);
    }

    /// <summary>Submits a reconciliation pair that must be accepted (202 with a Location under /api/runs/).</summary>
    public async Task<AcceptedBatch> SubmitReconciliationAsync(string dataset, string sourceCsv, string targetCsv, string? executionDate = DefaultExecutionDate)
    {
        using var response = await PostReconciliationAsync(dataset, sourceCsv, targetCsv, executionDate);
        return await AcceptedAsync(response, $"a reconciliation of {dataset}");
    }

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
        return await AcceptedAsync(response, $"a batch of {dataset}");
    }

    private static async Task<AcceptedBatch> AcceptedAsync(HttpResponseMessage response, string what)
    {
        if (response.StatusCode != HttpStatusCode.Accepted)
            throw new InvalidOperationException($"Expected 202 for {what}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        if (response.Headers.Location?.OriginalString.StartsWith("/api/runs/", StringComparison.Ordinal) != true)
            throw new InvalidOperationException($"The 202 for {what} has Location '{response.Headers.Location}', not /api/runs/{{id}}.");
        return await ReadAsync<AcceptedBatch>(response);
    }

    /// <summary>POSTs a pull of the dataset's configured database target (and source) and answers the raw response.</summary>
    public Task<HttpResponseMessage> PostPullAsync(string dataset, string? executionDate = DefaultExecutionDate) =>
        gateway.PostAsync($"/api/datasets/{dataset}/pulls{IntakeQuery(executionDate)}", null);

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
    public Task<Run> WaitForRunAsync(Guid runId, TimeSpan? timeout = null, bool withValidation = true) =>
        PollRunAsync(runId, run => run.Status switch
        {
            "failed" => true,
            "completed" => !withValidation || run.Validation is not null,
            _ => false,
        }, timeout ?? TimeSpan.FromSeconds(60));

    /// <summary>Polls the run (a 404 while it is not known yet is polled past) until <paramref name="done"/> holds for it.</summary>
    public async Task<Run> PollRunAsync(Guid runId, Func<Run, bool> done, TimeSpan? timeout = null) =>
        (await PollAsync($"/api/runs/{runId}", run => done(run.Deserialize<Run>(Json)!), timeout)).Deserialize<Run>(Json)!;

    /// <summary>
    /// The one polling loop: GETs <paramref name="path"/> every 100 ms until a success answer's JSON satisfies
    /// <paramref name="done"/> (any other answer, a 404 or a 503 while a server restarts, is polled past), and throws
    /// <see cref="TimeoutException"/> with the last answer once <paramref name="timeout"/> (default 30 s) has passed.
    /// </summary>
    public async Task<JsonElement> PollAsync(string path, Func<JsonElement, bool> done, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        var last = "nothing";
        while (DateTime.UtcNow < deadline)
        {
            using (var response = await gateway.GetAsync(path))
            {
                var text = await response.Content.ReadAsStringAsync();
                last = $"{(int)response.StatusCode} {text}";
                if (response.IsSuccessStatusCode)
                {
                    var body = JsonDocument.Parse(text).RootElement.Clone();
                    if (done(body)) return body;
                }
            }
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100));
        }
        throw new TimeoutException($"GET {path} did not reach the expected state in time; last answer: {last}");
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

    /// <summary>A CSV file as one part of a multipart body.</summary>
    public static ByteArrayContent CsvPart(string csv)
    {
        var part = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        return part;
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<T>(Json) ?? throw new InvalidOperationException($"Empty {typeof(T).Name} body.");
    }
}
