using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Ingest.Intake;

namespace Vigil.Ingest.Schedules;

/// <summary>The datasets that have a schedule, read from Validation's dataset list (Validation owns definitions).</summary>
public sealed class ScheduledDatasets(IHttpClientFactory httpClients)
{
    /// <exception cref="HttpRequestException">Validation could not be asked; the scheduler tries again on its next round.</exception>
    public async Task<IReadOnlyList<DatasetSchedule>> ListAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DatasetCatalog.AskTimeout);
        var http = httpClients.CreateClient(DatasetCatalog.HttpClientName);
        var datasets = await http.GetFromJsonAsync<JsonElement>("api/datasets", timeout.Token);
        var schedules = new List<DatasetSchedule>();
        foreach (var dataset in datasets.EnumerateArray())
        {
            var name = dataset.GetProperty("name").GetString()!;
            if (DatasetSchedule.FromDefinition(name, dataset.GetProperty("definition")) is { } schedule) schedules.Add(schedule);
        }
        return schedules;
    }
}
