using System.Net.Http.Json;
using System.Text.Json;

namespace Vigil.Ingest.Schedules;

/// <summary>
/// Starts a training through Scoring's own endpoint (POST api/datasets/{name}/models with lastRuns), found through
/// service discovery: Scoring stays the only place models are trained and stored.
/// </summary>
public sealed class RetrainClient(IHttpClientFactory httpClients)
{
    public const string HttpClientName = "scoring";

    /// <summary>The trained version, or the reason Scoring gave for not training.</summary>
    public async Task<(int? Version, string? Problem)> TrainAsync(string dataset, int lastRuns, CancellationToken cancellationToken)
    {
        var http = httpClients.CreateClient(HttpClientName);
        if (http.BaseAddress is null) return (null, "Scoring's address is not configured (services:scoring:http:0), so no training can be started.");
        using var response = await http.PostAsJsonAsync($"api/datasets/{Uri.EscapeDataString(dataset)}/models", new { lastRuns }, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.IsSuccessStatusCode)
            return (JsonDocument.Parse(body).RootElement.GetProperty("version").GetInt32(), null);
        return (null, $"Scoring answered {(int)response.StatusCode}: {ProblemText(body)}");
    }

    private static string ProblemText(string body)
    {
        try
        {
            var problem = JsonDocument.Parse(body).RootElement;
            var title = problem.TryGetProperty("title", out var t) ? t.GetString() : null;
            var detail = problem.TryGetProperty("detail", out var d) ? d.GetString() : null;
            return string.Join(": ", new[] { title, detail }.Where(s => !string.IsNullOrEmpty(s)));
        }
        catch (JsonException)
        {
            return body.Length > 300 ? body[..300] : body;
        }
    }
}
