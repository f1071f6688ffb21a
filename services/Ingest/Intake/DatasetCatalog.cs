namespace Vigil.Ingest.Intake;

/// <summary>
/// Asks Validation, which owns dataset definitions, whether a dataset is registered (over HTTP, found through service
/// discovery). Positive answers are remembered briefly so a busy pipeline does not ask for every batch.
/// </summary>
public sealed class DatasetCatalog(IHttpClientFactory httpClients, TimeProvider clock)
{
    public const string HttpClientName = "validation";
    private static readonly TimeSpan RememberFor = TimeSpan.FromSeconds(30);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _known = new();

    /// <summary>The dataset's current definition (as Validation stores it), or null when it is not registered.</summary>
    /// <exception cref="HttpRequestException">Validation could not be asked.</exception>
    public async Task<System.Text.Json.JsonElement?> FindDefinitionAsync(string dataset, CancellationToken cancellationToken)
    {
        var http = httpClients.CreateClient(HttpClientName);
        using var response = await http.GetAsync($"api/datasets/{Uri.EscapeDataString(dataset)}", cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        var view = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(cancellationToken);
        return view.GetProperty("definition");
    }

    /// <exception cref="HttpRequestException">Validation could not be asked.</exception>
    public async Task<bool> IsRegisteredAsync(string dataset, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(dataset, out var until) && until > clock.GetUtcNow()) return true;
        var http = httpClients.CreateClient(HttpClientName);
        using var response = await http.GetAsync($"api/datasets/{Uri.EscapeDataString(dataset)}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return false;
        response.EnsureSuccessStatusCode();
        _known[dataset] = clock.GetUtcNow() + RememberFor;
        return true;
    }
}
