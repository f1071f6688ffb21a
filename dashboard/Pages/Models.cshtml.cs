using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Vigil.Dashboard.Api;

namespace Vigil.Dashboard.Pages;

/// <summary>A dataset's model versions with metrics, thresholds and weights; promote and roll back (the key's admin scope).</summary>
public sealed class ModelsModel(VigilApi api) : AdminActionPage
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }; // Razor HTML-encodes the text

    [BindProperty(SupportsGet = true)]
    public string? Dataset { get; set; }

    public IReadOnlyList<string> Datasets { get; private set; } = [];
    public IReadOnlyList<ModelInfo> Models { get; private set; } = [];
    public string? Error { get; private set; }

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
        if (Dataset is null) return;
        var models = await api.ModelsAsync(Dataset, cancellationToken);
        if (models.Ok) Models = models.Value!;
        else Error = models.Message;
    }

    public async Task<IActionResult> OnPostPromoteAsync(int version, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(Dataset)) return BadRequest();
        Record(await api.PromoteAsync(Dataset, version, cancellationToken), "Promote", _ => $"Model version {version} of {Dataset} is now active.");
        return RedirectToPage(new { dataset = Dataset });
    }

    public async Task<IActionResult> OnPostRollBackAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(Dataset)) return BadRequest();
        Record(await api.RollBackAsync(Dataset, cancellationToken), "Roll back", m => $"Rolled back: model version {m.Version} of {Dataset} is active again.");
        return RedirectToPage(new { dataset = Dataset });
    }

    public static string Pretty(JsonElement json) => json.ValueKind == JsonValueKind.Undefined ? "" : JsonSerializer.Serialize(json, Indented);

    /// <summary>A named part of the metrics (thresholds, weights), pretty-printed, or null.</summary>
    public static string? Part(JsonElement metrics, string name) =>
        metrics.ValueKind == JsonValueKind.Object && metrics.TryGetProperty(name, out var part) ? Pretty(part) : null;
}
