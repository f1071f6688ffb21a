using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Vigil.Cli.Arguments;

namespace Vigil.Cli;

/// <summary>
/// The few gateway calls the tool makes. A problem answer (4xx) becomes <see cref="ExitCodes.Rejected"/> with its title
/// and detail; no answer, or a 5xx, becomes <see cref="ExitCodes.Unreachable"/>.
/// </summary>
public sealed class VigilApi(HttpClient http) : IDisposable
{
    public static VigilApi For(Connection connection)
    {
        var http = new HttpClient { BaseAddress = connection.Url, Timeout = TimeSpan.FromMinutes(10) };
        if (connection.ApiKey is { } key) http.DefaultRequestHeaders.Add("X-Api-Key", key);
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("vigil-cli", typeof(VigilApi).Assembly.GetName().Version?.ToString(3)));
        return new VigilApi(http);
    }

    /// <summary>POSTs a batch, or a source/target pair as multipart, and returns the receipt (runId, duplicate, ...).</summary>
    public async Task<JsonElement> SubmitAsync(CheckCommand check, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (check.ExecutionDate is { } date) query.Add($"executionDate={date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
        if (check.Rerun) query.Add("rerun=true");
        if (check.CallbackUrl is { } callback) query.Add($"callbackUrl={Uri.EscapeDataString(callback)}");
        var dataset = Uri.EscapeDataString(check.Dataset);
        var path = check.Source is null ? $"api/datasets/{dataset}/batches" : $"api/datasets/{dataset}/reconciliations";
        if (query.Count > 0) path += "?" + string.Join('&', query);

        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (check.IdempotencyKey is { } idempotencyKey) request.Headers.Add("Idempotency-Key", idempotencyKey);
        var target = FilePart(check.File);
        if (check.Source is null)
        {
            request.Content = target;
        }
        else
        {
            request.Content = new MultipartFormDataContent
            {
                { FilePart(check.Source), "source", Path.GetFileName(check.Source) },
                { target, "target", Path.GetFileName(check.File) },
            };
        }
        return await SendAsync(request, cancellationToken);
    }

    /// <summary>The run, or null while it is not known yet (it appears a moment after its batch is accepted).</summary>
    public async Task<JsonElement?> FindRunAsync(Guid runId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/runs/{runId}");
        using var response = await SendRawAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        return await ReadAsync(response, cancellationToken);
    }

    public async Task<JsonElement> ListRunsAsync(RunsCommand runs, CancellationToken cancellationToken)
    {
        var query = new List<string> { $"limit={runs.Limit}" };
        if (runs.Dataset is { } dataset) query.Add($"dataset={Uri.EscapeDataString(dataset)}");
        if (runs.Status is { } status) query.Add($"status={status}");
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/runs?" + string.Join('&', query));
        return await SendAsync(request, cancellationToken);
    }

    public async Task<JsonElement> GetRunAsync(Guid runId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/runs/{runId}");
        return await SendAsync(request, cancellationToken);
    }

    /// <summary>Copies one report of a run into <paramref name="destination"/> as it arrives.</summary>
    public async Task DownloadReportAsync(Guid runId, string kind, Stream destination, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/runs/{runId}/reports/{Uri.EscapeDataString(kind)}");
        using var response = await SendRawAsync(request, cancellationToken, HttpCompletionOption.ResponseHeadersRead);
        await ThrowIfProblemAsync(response, cancellationToken);
        await response.Content.CopyToAsync(destination, cancellationToken);
    }

    private static StreamContent FilePart(string path)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot read '{path}': {e.Message}");
        }
        var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypeOf(path));
        return content;
    }

    /// <summary>The batch's media type from its file name: .json, .ndjson/.jsonl, anything else CSV.</summary>
    public static string MediaTypeOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".json" => "application/json",
        ".ndjson" or ".jsonl" => "application/x-ndjson",
        _ => "text/csv",
    };

    private async Task<JsonElement> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(request, cancellationToken);
        return await ReadAsync(response, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        try
        {
            return await http.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CliException(ExitCodes.Unreachable, $"Vigil at {http.BaseAddress} cannot be reached: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Unreachable, $"Vigil at {http.BaseAddress} did not answer within {http.Timeout.TotalSeconds:0} s.", e);
        }
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await ThrowIfProblemAsync(response, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return JsonDocument.Parse(body).RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new CliException(ExitCodes.Unreachable, $"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode} with something that is not JSON; is --url Vigil's gateway?");
        }
    }

    private static async Task ThrowIfProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var explanation = Explain(text);
        var code = status >= 500 ? ExitCodes.Unreachable : ExitCodes.Rejected;
        var retry = response.Headers.RetryAfter?.Delta is { } delay ? $" (retry after {delay.TotalSeconds:0} s)" : "";
        throw new CliException(code, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery} answered {status}: {explanation}{retry}");
    }

    /// <summary>A problem's "title: detail", or the start of whatever else came back.</summary>
    private static string Explain(string body)
    {
        try
        {
            var problem = JsonDocument.Parse(body).RootElement;
            var title = problem.TryGetProperty("title", out var t) ? t.GetString() : null;
            var detail = problem.TryGetProperty("detail", out var d) ? d.GetString() : null;
            if (title is not null || detail is not null) return string.Join(": ", new[] { title, detail }.Where(s => s is not null));
        }
        catch (JsonException)
        {
            // Not problem+json; the raw text follows.
        }
        return body.Length > 300 ? body[..300] + "..." : body;
    }

    public void Dispose() => http.Dispose();
}
