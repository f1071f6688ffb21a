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

    /// <summary>Float tolerance for reconciliation value comparisons (absolute).</summary>
    public double ReconciliationTolerance { get; init; } = 1e-9;
}

/// <summary>What breaking schema drift does to a run: <c>warn</c> reports it, <c>block</c> fails the run.</summary>
public enum DriftPolicy { Warn, Block }
