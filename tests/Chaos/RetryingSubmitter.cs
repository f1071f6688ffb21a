using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Vigil.Chaos;

/// <summary>
/// Submits a batch the way a careful orchestrator does: one Idempotency-Key for all attempts, a timeout on every
/// request, and retries with back-off (or the server's Retry-After) on 429, 5xx, timeouts and refused connections,
/// until the batch is accepted or the budget is spent. Any other answer is final.
/// </summary>
public sealed class RetryingSubmitter(HttpClient gateway, TimeSpan budget)
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(4);

    public async Task SubmitAsync(SubmittedBatch batch, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < budget)
        {
            batch.Attempts++;
            var (answer, pause) = await AttemptAsync(batch, cancellationToken);
            if (batch.RunId is not null)
            {
                batch.AcceptSeconds = clock.Elapsed.TotalSeconds;
                batch.AcceptedAt = DateTimeOffset.UtcNow;
                return;
            }
            batch.Refusals[answer] = batch.Refusals.GetValueOrDefault(answer) + 1;
            if (pause is null) return; // a final answer: the batch itself was refused
            await Task.Delay(pause.Value, cancellationToken);
        }
    }

    /// <summary>One request; what it got ("202", "503 title", "no answer") and how long to wait before the next, null when final.</summary>
    private async Task<(string Answer, TimeSpan? Pause)> AttemptAsync(SubmittedBatch batch, CancellationToken cancellationToken)
    {
        var backoff = Backoff(batch.Attempts);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post,
            $"/api/datasets/{batch.Dataset}/batches?executionDate={batch.ExecutionDate:yyyy-MM-dd}")
        {
            Content = new StringContent(batch.Csv, Encoding.UTF8, "text/csv"),
        };
        request.Headers.Add("Idempotency-Key", batch.IdempotencyKey);
        try
        {
            using var response = await gateway.SendAsync(request, timeout.Token);
            var code = (int)response.StatusCode;
            if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK)
            {
                var body = await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
                batch.RunId = body.GetProperty("runId").GetGuid();
                return (code.ToString(CultureInfo.InvariantCulture), null);
            }
            var answer = $"{code} {await ProblemTitleAsync(response, timeout.Token)}";
            if (code == 429 || code >= 500)
                return (answer, response.Headers.RetryAfter?.Delta is { } after ? Min(after, LongestPause) : backoff);
            return (answer, null);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return ("no answer", backoff);
        }
    }

    private static async Task<string> ProblemTitleAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            return problem.TryGetProperty("title", out var title) ? title.GetString() ?? "" : "";
        }
        catch (JsonException)
        {
            return "(not problem+json)";
        }
    }

    private static TimeSpan Backoff(int attempt) =>
        Min(TimeSpan.FromMilliseconds(250 * Math.Pow(2, Math.Min(attempt - 1, 8)) * (0.75 + Random.Shared.NextDouble() / 2)), LongestPause);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
