using System.Collections.Concurrent;
using System.Text.Json;
using Vigil.Ingest.Storage;

namespace Vigil.Ingest.Intake;

/// <summary>
/// Asks Validation, which owns dataset definitions, for a dataset (over HTTP, found through service discovery) and
/// keeps a copy of each answer in Ingest's own schema. When Validation cannot answer (down, restarting, too slow),
/// the copy answers instead, however old: intake does not stop for a Validation restart. Positive answers are also
/// remembered in memory briefly so a busy pipeline does not ask for every batch.
/// </summary>
public sealed partial class DatasetCatalog(IHttpClientFactory httpClients, DatasetCopyStore copies, TimeProvider clock, ILogger<DatasetCatalog> logger)
{
    public const string HttpClientName = "validation";
    public static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RememberFor = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _known = new();

    /// <summary>The dataset's current definition (as Validation stores it), or null when it is not registered.</summary>
    /// <exception cref="HttpRequestException">Validation could not be asked and Ingest has no copy of the dataset.</exception>
    public async Task<JsonElement?> FindDefinitionAsync(string dataset, CancellationToken cancellationToken)
    {
        JsonElement? fresh;
        try
        {
            fresh = await AskValidationAsync(dataset, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            if (await copies.FindAsync(dataset, cancellationToken) is not { } copy)
                throw new HttpRequestException($"Validation could not be asked about '{dataset}' and Ingest has no copy of it.", e);
            LogServedFromCopy(logger, dataset, copy.RefreshedAt, e.GetBaseException().Message);
            return copy.Definition;
        }
        if (fresh is { } definition) await copies.SaveAsync(dataset, definition, cancellationToken);
        else await copies.ForgetAsync(dataset, cancellationToken);
        return fresh;
    }

    /// <exception cref="HttpRequestException">Validation could not be asked and Ingest has no copy of the dataset.</exception>
    public async Task<bool> IsRegisteredAsync(string dataset, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(dataset, out var until) && until > clock.GetUtcNow()) return true;
        if (await FindDefinitionAsync(dataset, cancellationToken) is null) return false;
        _known[dataset] = clock.GetUtcNow() + RememberFor;
        return true;
    }

    private async Task<JsonElement?> AskValidationAsync(string dataset, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AskTimeout);
        var http = httpClients.CreateClient(HttpClientName);
        using var response = await http.GetAsync($"api/datasets/{Uri.EscapeDataString(dataset)}", timeout.Token);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        var view = await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
        return view.GetProperty("definition").Clone();
    }

    [LoggerMessage(LogLevel.Warning, "Validation did not answer for dataset {Dataset} ({Error}); using Ingest's copy from {RefreshedAt}")]
    private static partial void LogServedFromCopy(ILogger logger, string dataset, DateTimeOffset refreshedAt, string error);
}
