namespace Vigil.Lineage.OpenLineage;

/// <summary>
/// The OpenLineage spec versions Vigil emits against (all in OpenLineage release 1.52.0): the core RunEvent and the
/// standard facets used. A facet's <c>_schemaURL</c> points at its definition.
/// </summary>
public static class OpenLineageSpec
{
    public const string RunEvent = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
    public const string SchemaDatasetFacet = "https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet";
    public const string DataQualityMetricsDatasetFacet = "https://openlineage.io/spec/facets/1-0-0/DataQualityMetricsDatasetFacet.json#/$defs/DataQualityMetricsDatasetFacet";
    public const string OutputStatisticsOutputDatasetFacet = "https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet";
    public const string ErrorMessageRunFacet = "https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet";
    public const string ParentRunFacet = "https://openlineage.io/spec/facets/1-2-0/ParentRunFacet.json#/$defs/ParentRunFacet";
    public const string NominalTimeRunFacet = "https://openlineage.io/spec/facets/1-0-1/NominalTimeRunFacet.json#/$defs/NominalTimeRunFacet";
    public const string JobTypeJobFacet = "https://openlineage.io/spec/facets/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet";
}

/// <summary>The run state transitions Vigil reports (OpenLineage <c>eventType</c>).</summary>
public static class EventTypes
{
    public const string Start = "START";
    public const string Complete = "COMPLETE";
    public const string Fail = "FAIL";
}

/// <summary>Names of the facets Vigil attaches (keys in the <c>facets</c>, <c>inputFacets</c> and <c>outputFacets</c> maps).</summary>
public static class FacetNames
{
    public const string Schema = "schema";
    public const string DataQualityMetrics = "dataQualityMetrics";
    public const string OutputStatistics = "outputStatistics";
    public const string ErrorMessage = "errorMessage";
    public const string Parent = "parent";
    public const string NominalTime = "nominalTime";
    public const string JobType = "jobType";

    /// <summary>Vigil's data-quality score with its dimensions (custom dataset facet).</summary>
    public const string VigilDqScore = "vigil_dqScore";

    /// <summary>What scored the batch and what it found (custom run facet).</summary>
    public const string VigilScoring = "vigil_scoring";
}
