using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.Dashboard.Api;
using Vigil.Dashboard.ViewModels;

namespace Vigil.Dashboard.Pages;

/// <summary>Every dataset with its last run's verdict, DQ trend, anomaly rate, rows and time; failing and stuck first.</summary>
public sealed class IndexModel(VigilApi api, TimeProvider clock) : PageModel
{
    public const int TrendPoints = 20;

    public IReadOnlyList<OverviewRow> Rows { get; private set; } = [];
    public IReadOnlyList<OverviewRow> Shown { get; private set; } = [];
    public Pager Pager { get; private set; } = Pager.For(1, null);
    public string? Error { get; private set; }
    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync([FromQuery(Name = Pager.QueryName)] int? pageNumber, CancellationToken cancellationToken)
    {
        Now = clock.GetUtcNow();
        var datasets = await api.DatasetsAsync(cancellationToken);
        if (!datasets.Ok)
        {
            Error = datasets.Message;
            return;
        }
        var rows = await Task.WhenAll(datasets.Value!.Select(async d =>
        {
            var history = await api.HistoryAsync(d.Name, TrendPoints, cancellationToken);
            return OverviewRow.From(d.Name, history.Ok ? history.Value!.Points : [], Now);
        }));
        Rows = OverviewRow.Order(rows);
        Pager = Pager.For(pageNumber, null, Rows.Count);
        Shown = Pager.Slice(Rows);
    }
}
