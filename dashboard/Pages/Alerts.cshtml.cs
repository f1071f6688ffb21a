using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.Dashboard.Api;
using Vigil.Dashboard.ViewModels;

namespace Vigil.Dashboard.Pages;

/// <summary>Alerts by status (sent, suppressed, failed, pending), dead-lettered deliveries and stuck runs.</summary>
public sealed class AlertsModel(VigilApi api) : PageModel
{
    public static readonly string[] Statuses = ["sent", "suppressed", "failed", "pending"];
    public const int Fetched = 500;

    [FromQuery]
    public string? Status { get; set; }

    public IReadOnlyList<AlertInfo> Alerts { get; private set; } = [];
    public Pager Pager { get; private set; } = Pager.For(1, null);
    public IReadOnlyList<DeadLetterInfo> DeadLetters { get; private set; } = [];
    public IReadOnlyList<StuckRunInfo> StuckRuns { get; private set; } = [];
    public string? Error { get; private set; }

    public async Task OnGetAsync([FromQuery(Name = Pager.QueryName)] int? pageNumber, CancellationToken cancellationToken)
    {
        if (Status is not null && !Statuses.Contains(Status)) Status = null;
        var alerts = api.AlertsAsync(Status, Fetched, cancellationToken);
        var dead = api.AlertDeadLettersAsync(100, cancellationToken);
        var stuck = api.StuckRunsAsync(100, cancellationToken);
        await Task.WhenAll(alerts, dead, stuck);
        if (!alerts.Result.Ok) Error = alerts.Result.Message;
        var all = alerts.Result.Value ?? [];
        Pager = Pager.For(pageNumber, null, all.Count);
        Alerts = Pager.Slice(all);
        DeadLetters = dead.Result.Value ?? [];
        StuckRuns = stuck.Result.Value ?? [];
    }
}
