using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Vigil.Dashboard.Api;
using Vigil.Dashboard.ViewModels;

namespace Vigil.Dashboard.Pages;

/// <summary>
/// A dataset: KPI history charts, its runs with schema versions and drift, schema (accept a run's schema or reset it: the
/// key's admin scope), rules, models, alert policies.
/// </summary>
public sealed class DatasetModel(VigilApi api) : AdminActionPage
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }; // Razor HTML-encodes the text

    [FromRoute]
    public string Name { get; set; } = "";

    public DatasetInfo? Dataset { get; private set; }
    public IReadOnlyList<HistoryPoint> History { get; private set; } = [];
    public IReadOnlyList<RunInfo> Runs { get; private set; } = [];
    public Pager Pager { get; private set; } = Pager.For(1, null);
    public string? Schema { get; private set; }
    public string? Rules { get; private set; }
    public IReadOnlyList<ModelInfo> Models { get; private set; } = [];
    public IReadOnlyList<PolicyInfo> Policies { get; private set; } = [];
    public string? Error { get; private set; }

    public async Task OnGetAsync([FromQuery(Name = Pager.QueryName)] int? pageNumber, CancellationToken cancellationToken)
    {
        var dataset = await api.DatasetAsync(Name, cancellationToken);
        if (!dataset.Ok)
        {
            Error = dataset.Message;
            if (dataset.NotFound) Response.StatusCode = 404;
            return;
        }
        Dataset = dataset.Value;
        Pager = Pager.For(pageNumber, 10);
        var history = api.HistoryAsync(Name, 100, cancellationToken);
        var runs = api.RunsAsync(Name, null, Pager.Size, Pager.Offset, cancellationToken);
        var schema = api.SchemaAsync(Name, cancellationToken);
        var models = api.ModelsAsync(Name, cancellationToken);
        var policies = api.PoliciesAsync(cancellationToken);
        await Task.WhenAll(history, runs, schema, models, policies);

        History = history.Result.Ok ? history.Result.Value!.Points : [];
        if (runs.Result.Ok)
        {
            Runs = runs.Result.Value!.Items;
            Pager = Pager.WithTotal(runs.Result.Value.Total);
        }
        Schema = schema.Result.Ok ? JsonSerializer.Serialize(schema.Result.Value, Indented) : null;
        Rules = Dataset!.Definition.TryGetProperty("rulesYaml", out var yaml) && yaml.ValueKind == JsonValueKind.String ? yaml.GetString()
            : Dataset.Definition.TryGetProperty("rules", out var json) && json.ValueKind == JsonValueKind.Array ? JsonSerializer.Serialize(json, Indented)
            : null;
        Models = models.Result.Ok ? models.Result.Value! : [];
        Policies = policies.Result.Ok ? [.. policies.Result.Value!.Where(p => p.Dataset == Name)] : [];
    }

    public async Task<IActionResult> OnPostAcceptSchemaAsync(Guid runId, CancellationToken cancellationToken)
    {
        if (runId == Guid.Empty) return BadRequest();
        Record(await api.AcceptSchemaAsync(Name, runId, cancellationToken), "Accept schema", SchemaRecovery.Describe);
        return RedirectToPage(new { name = Name });
    }

    public async Task<IActionResult> OnPostResetSchemaAsync(CancellationToken cancellationToken)
    {
        Record(await api.ResetSchemaAsync(Name, cancellationToken), "Reset schema", SchemaRecovery.Describe);
        return RedirectToPage(new { name = Name });
    }
}
