using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Vigil.Dashboard.Api;
using Vigil.Dashboard.Extensions;
using Vigil.Dashboard.ViewModels;

namespace Vigil.Dashboard.Pages;

/// <summary>
/// One run: stage timeline, rule results with samples, drift, reconciliation, anomalies (paged, by decision), shadow
/// scorings, reports, the dataset's lineage and a link to its trace; a run blocked by schema drift offers to accept its
/// schema as the dataset's baseline (the key's admin scope).
/// </summary>
public sealed class RunModel(VigilApi api, IOptions<DashboardOptions> options) : AdminActionPage
{
    public const int AnomaliesPerPage = 50;
    private static readonly string[] Decisions = ["review", "block"];

    [FromRoute]
    public Guid Id { get; set; }

    [FromQuery]
    public string? Decision { get; set; }

    public RunInfo? Run { get; private set; }
    public ValidationReport? Report { get; private set; }
    public AnomalyPage? Anomalies { get; private set; }
    public Pager AnomalyPager { get; private set; } = Pager.For(1, AnomaliesPerPage);
    public IReadOnlyList<ScoringInfo> Scorings { get; private set; } = [];
    public LineageGraph? Lineage { get; private set; }
    public string? TraceUrl { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync([FromQuery(Name = Pager.QueryName)] int? pageNumber, CancellationToken cancellationToken)
    {
        if (Decision is not null && !Decisions.Contains(Decision)) Decision = null;
        var run = await api.RunAsync(Id, cancellationToken);
        if (!run.Ok)
        {
            Error = run.Message;
            if (run.NotFound) Response.StatusCode = 404;
            return;
        }
        Run = run.Value!;
        AnomalyPager = Pager.For(pageNumber, AnomaliesPerPage);
        var report = Run.Reports?.ContainsKey("validation") == true ? api.ValidationReportAsync(Id, cancellationToken) : null;
        var anomalies = api.AnomaliesAsync(Id, Decision, AnomalyPager.Size, AnomalyPager.Offset, cancellationToken);
        var scorings = api.ScoringsAsync(Id, cancellationToken);
        var lineage = api.LineageAsync(Run.Dataset, cancellationToken);
        await Task.WhenAll(new Task[] { anomalies, scorings, lineage }.Concat(report is null ? [] : [report]));

        Report = report?.Result.Ok == true ? report.Result.Value : null;
        if (anomalies.Result.Ok)
        {
            Anomalies = anomalies.Result.Value;
            AnomalyPager = AnomalyPager.WithTotal(Anomalies!.Total);
        }
        Scorings = scorings.Result.Ok ? scorings.Result.Value! : [];
        Lineage = lineage.Result.Ok ? lineage.Result.Value : null;
        if (options.Value.TraceViewerUrl is { Length: > 0 } viewer)
            TraceUrl = $"{viewer.TrimEnd('/')}/traces?filters={Uri.EscapeDataString($"vigil.run_id:equals:{Id}")}";
    }

    /// <summary>Makes this run's observed schema its dataset's baseline; the dataset is read from the run, not the form.</summary>
    public async Task<IActionResult> OnPostAcceptSchemaAsync(CancellationToken cancellationToken)
    {
        var run = await api.RunAsync(Id, cancellationToken);
        if (!run.Ok)
        {
            Record(run, "Accept schema", _ => "");
            return RedirectToPage(new { id = Id });
        }
        Record(await api.AcceptSchemaAsync(run.Value!.Dataset, Id, cancellationToken), "Accept schema", SchemaRecovery.Describe);
        return RedirectToPage(new { id = Id });
    }

    public IReadOnlyList<(string Name, DateTimeOffset Start, DateTimeOffset End, bool Failed)> Timeline =>
        [.. (Run?.Stages ?? []).OrderBy(s => s.StartedAt).Select(s => (s.Stage, s.StartedAt, s.CompletedAt, s.Status == "failed"))];

    public long DecisionCount(string decision) =>
        Run?.DecisionCounts is { } counts && counts.TryGetValue(decision, out var n) ? n : 0;
}
