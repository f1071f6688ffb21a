using Microsoft.AspNetCore.Mvc;
using Vigil.Dashboard.Api;
using Vigil.Dashboard.ViewModels;

namespace Vigil.Dashboard.Pages;

/// <summary>
/// Alerts by status (sent, suppressed, failed, pending), dead-lettered deliveries, dead-lettered messages per queue with
/// a replay (the key's admin scope), and stuck runs.
/// </summary>
public sealed class AlertsModel(VigilApi api) : AdminActionPage
{
    public static readonly string[] Statuses = ["sent", "suppressed", "failed", "pending"];
    public const int Fetched = 500;

    [FromQuery]
    public string? Status { get; set; }

    public IReadOnlyList<AlertInfo> Alerts { get; private set; } = [];
    public Pager Pager { get; private set; } = Pager.For(1, null);
    public IReadOnlyList<DeadLetterInfo> DeadLetters { get; private set; } = [];
    public IReadOnlyList<StuckRunInfo> StuckRuns { get; private set; } = [];
    public IReadOnlyList<DeadLetterQueueInfo> Queues { get; private set; } = [];
    public string? QueuesError { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync([FromQuery(Name = Pager.QueryName)] int? pageNumber, CancellationToken cancellationToken)
    {
        if (Status is not null && !Statuses.Contains(Status)) Status = null;
        var alerts = api.AlertsAsync(Status, Fetched, cancellationToken);
        var dead = api.AlertDeadLettersAsync(100, cancellationToken);
        var stuck = api.StuckRunsAsync(100, cancellationToken);
        var queues = api.DeadLetterQueuesAsync(cancellationToken);
        await Task.WhenAll(alerts, dead, stuck, queues);
        if (!alerts.Result.Ok) Error = alerts.Result.Message;
        var all = alerts.Result.Value ?? [];
        Pager = Pager.For(pageNumber, null, all.Count);
        Alerts = Pager.Slice(all);
        DeadLetters = dead.Result.Value ?? [];
        StuckRuns = stuck.Result.Value ?? [];
        if (queues.Result.Ok) Queues = queues.Result.Value!;
        else QueuesError = queues.Result.Message;
    }

    public async Task<IActionResult> OnPostReplayAsync(string queue, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(queue)) return BadRequest();
        Record(await api.ReplayDeadLettersAsync(queue, cancellationToken), $"Replay of {queue}", DeadLetterQueues.Replayed);
        return RedirectToPage();
    }
}
