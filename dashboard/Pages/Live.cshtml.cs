using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Vigil.Dashboard.Api;
using Vigil.Dashboard.Extensions;
using Vigil.Dashboard.ViewModels;

namespace Vigil.Dashboard.Pages;

/// <summary>The streamed events of one dataset, live: the page polls its own panel (every 1-2 s) and swaps it in.</summary>
public sealed class LiveModel(VigilApi api, TimeProvider clock, IOptions<DashboardOptions> options) : PageModel
{
    [FromQuery]
    public string? Dataset { get; set; }

    public IReadOnlyList<string> Datasets { get; private set; } = [];
    public LiveSnapshot? Snapshot { get; private set; }
    public string? Error { get; private set; }
    public int RefreshSeconds => options.Value.RefreshSeconds;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var datasets = await api.DatasetsAsync(cancellationToken);
        if (!datasets.Ok)
        {
            Error = datasets.Message;
            return;
        }
        Datasets = [.. datasets.Value!.Select(d => d.Name).Order(StringComparer.Ordinal)];
        Dataset = Datasets.Contains(Dataset) ? Dataset : Datasets.FirstOrDefault();
        if (Dataset is not null) Snapshot = await SnapshotAsync(Dataset, cancellationToken);
    }

    /// <summary>Only the panel, for the page's refresh script.</summary>
    public async Task<IActionResult> OnGetPanelAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(Dataset)) return BadRequest();
        Snapshot = await SnapshotAsync(Dataset, cancellationToken);
        return Partial("_LivePanel", this);
    }

    private async Task<LiveSnapshot?> SnapshotAsync(string dataset, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var since = now - LiveSnapshot.DefaultWindow;
        var anomalies = api.EventAnomaliesAsync(dataset, since, 1000, cancellationToken);
        var window = api.EventStatsAsync(dataset, since, cancellationToken);
        var minute = api.EventStatsAsync(dataset, now - LiveSnapshot.RateWindow, cancellationToken);
        await Task.WhenAll(anomalies, window, minute);
        if (!anomalies.Result.Ok)
        {
            Error = anomalies.Result.Message;
            return null;
        }
        return LiveSnapshot.Create(dataset, now, LiveSnapshot.DefaultWindow, anomalies.Result.Value!.Items,
            window.Result.Value, minute.Result.Value);
    }
}
