using System.Text.Json.Serialization;

namespace Vigil.Lineage.OpenLineage;

/// <summary>Every facet names who produced it and the schema it follows (OpenLineage BaseFacet).</summary>
[JsonPolymorphic]
[JsonDerivedType(typeof(SchemaDatasetFacet))]
[JsonDerivedType(typeof(DataQualityMetricsDatasetFacet))]
[JsonDerivedType(typeof(OutputStatisticsOutputDatasetFacet))]
[JsonDerivedType(typeof(ErrorMessageRunFacet))]
[JsonDerivedType(typeof(ParentRunFacet))]
[JsonDerivedType(typeof(NominalTimeRunFacet))]
[JsonDerivedType(typeof(JobTypeJobFacet))]
[JsonDerivedType(typeof(VigilDqScoreDatasetFacet))]
[JsonDerivedType(typeof(VigilScoringRunFacet))]
public abstract record Facet(
    [property: JsonPropertyName("_producer")] string Producer,
    [property: JsonPropertyName("_schemaURL")] string SchemaUrl);

/// <summary>The columns of a dataset (<c>schema</c>); <see cref="SchemaField.Type"/> is Vigil's inferred type when known.</summary>
public sealed record SchemaDatasetFacet(string Producer, IReadOnlyList<SchemaField> Fields)
    : Facet(Producer, OpenLineageSpec.SchemaDatasetFacet);

public sealed record SchemaField(
    string Name,
    string? Type = null,
    [property: JsonPropertyName("ordinal_position")] int? OrdinalPosition = null);

/// <summary>Row count and per-column metrics of the validated batch (<c>dataQualityMetrics</c>, a dataset facet).</summary>
public sealed record DataQualityMetricsDatasetFacet(string Producer, long? RowCount, IReadOnlyDictionary<string, ColumnMetrics> ColumnMetrics)
    : Facet(Producer, OpenLineageSpec.DataQualityMetricsDatasetFacet)
{
    public long? Bytes { get; init; }
}

public sealed record ColumnMetrics(long? NullCount = null, long? DistinctCount = null, long? Count = null, double? Min = null, double? Max = null,
    IReadOnlyDictionary<string, double>? Quantiles = null);

/// <summary>What a run wrote to an output (<c>outputStatistics</c>): rows and bytes.</summary>
public sealed record OutputStatisticsOutputDatasetFacet(string Producer, long? RowCount = null, long? Size = null)
    : Facet(Producer, OpenLineageSpec.OutputStatisticsOutputDatasetFacet);

/// <summary>Why a run failed (<c>errorMessage</c>).</summary>
public sealed record ErrorMessageRunFacet(string Producer, string Message, string ProgrammingLanguage)
    : Facet(Producer, OpenLineageSpec.ErrorMessageRunFacet);

/// <summary>Links a stage's run to the pipeline run of the batch (<c>parent</c>).</summary>
public sealed record ParentRunFacet(string Producer, ParentRun Run, ParentJob Job)
    : Facet(Producer, OpenLineageSpec.ParentRunFacet);

public sealed record ParentRun(Guid RunId);

public sealed record ParentJob(string Namespace, string Name);

/// <summary>The batch's execution date as the run's schedule window (<c>nominalTime</c>).</summary>
public sealed record NominalTimeRunFacet(string Producer, DateTimeOffset NominalStartTime, DateTimeOffset NominalEndTime)
    : Facet(Producer, OpenLineageSpec.NominalTimeRunFacet);

/// <summary>What kind of job this is (<c>jobType</c>): Vigil's pipeline is a DAG, its stages are tasks, all batch.</summary>
public sealed record JobTypeJobFacet(string Producer, string ProcessingType, string Integration, string JobType)
    : Facet(Producer, OpenLineageSpec.JobTypeJobFacet);

/// <summary>Vigil's DQ score (0-100) with its dimensions and rule counts (<c>vigil_dqScore</c>, custom dataset facet).</summary>
public sealed record VigilDqScoreDatasetFacet(string Producer, string SchemaUrl, double? Score, IReadOnlyDictionary<string, double> Dimensions,
    int RulesChecked, int RulesFailed, int DatasetVersion)
    : Facet(Producer, SchemaUrl)
{
    public const string SchemaFile = "VigilDqScoreDatasetFacet.json";
    public const string Definition = "VigilDqScoreDatasetFacet";
}

/// <summary>Where the batch was scored and what was found (<c>vigil_scoring</c>, custom run facet).</summary>
public sealed record VigilScoringRunFacet(string Producer, string SchemaUrl, string Device, string? ModelVersion, long RowCount, long AnomalyCount,
    IReadOnlyDictionary<string, long> DecisionCounts)
    : Facet(Producer, SchemaUrl)
{
    public const string SchemaFile = "VigilScoringRunFacet.json";
    public const string Definition = "VigilScoringRunFacet";
}
