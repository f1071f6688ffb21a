using System.Text.Json;

namespace Vigil.Validation.Datasets;

/// <summary>
/// What a data engineer registers for a dataset: how to identify a record, what the data should look like and what
/// to do about drift. Stored as JSON, versioned on every change.
/// </summary>
public sealed record DatasetDefinition
{
    public required string Name { get; init; }

    /// <summary>Columns that identify a record: used by uniqueness, reconciliation and in every defect sample.</summary>
    public IReadOnlyList<string> KeyColumns { get; init; } = [];

    public string? EntityColumn { get; init; }

    public string? TimestampColumn { get; init; }

    /// <summary>Optional declared schema: <c>{ "columns": [{ "name", "type", "nullable" }] }</c>.</summary>
    public JsonElement? ExpectedSchema { get; init; }

    /// <summary>Rules as a JSON array of rule objects.</summary>
    public JsonElement? Rules { get; init; }

    /// <summary>Rules as YAML text (a list of rule mappings), instead of <see cref="Rules"/>.</summary>
    public string? RulesYaml { get; init; }

    public DriftPolicy DriftPolicy { get; init; } = DriftPolicy.Warn;

    /// <summary>Write a cleaned copy of each batch next to the raw one.</summary>
    public bool Cleaning { get; init; }

    /// <summary>Field delimiter of CSV batches.</summary>
    public string Delimiter { get; init; } = ",";

    /// <summary>Databases to pull the target (and source) from, instead of uploading them.</summary>
    public DatasetPull? Pull { get; init; }

    /// <summary>Scheduled pulls and retraining, run by Ingest's scheduler (docs/schedules.md).</summary>
    public DatasetSchedule? Schedule { get; init; }

    /// <summary>Float tolerance for reconciliation value comparisons (absolute).</summary>
    public double ReconciliationTolerance { get; init; } = 1e-9;
}

/// <summary>
/// What schema drift does to a run and to the dataset's baseline (the schema batches are compared with).
/// Under every policy the baseline is set by the first batch (or refined from the registered expected schema by the first
/// batch that matches it), and changed by hand with POST /api/datasets/{name}/schema/accept or /schema/reset.
/// </summary>
public enum DriftPolicy
{
    /// <summary>Breaking drift is reported and the run goes on; the baseline does not move by itself.</summary>
    Warn,

    /// <summary>Breaking drift fails the run; other changes (an extra column) are reported and the baseline does not move by itself.</summary>
    Block,

    /// <summary>Breaking drift fails the run; additive and compatible changes (new columns, widened types, new categories) become the baseline.</summary>
    Evolve,
}
