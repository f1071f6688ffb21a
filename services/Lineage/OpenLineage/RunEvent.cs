using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Lineage.OpenLineage;

/// <summary>An OpenLineage RunEvent (spec 2-0-2): one transition of one job's run, with the datasets it read and wrote.</summary>
public sealed record RunEvent(
    string EventType,
    DateTimeOffset EventTime,
    RunInfo Run,
    JobInfo Job,
    IReadOnlyList<InputDataset> Inputs,
    IReadOnlyList<OutputDataset> Outputs,
    string Producer,
    [property: JsonPropertyName("schemaURL")] string SchemaUrl);

public sealed record RunInfo(Guid RunId, IReadOnlyDictionary<string, Facet>? Facets = null);

public sealed record JobInfo(string Namespace, string Name, IReadOnlyDictionary<string, Facet>? Facets = null);

public sealed record InputDataset(string Namespace, string Name,
    IReadOnlyDictionary<string, Facet>? Facets = null, IReadOnlyDictionary<string, Facet>? InputFacets = null)
{
    [JsonIgnore]
    public DatasetRef Ref => new(Namespace, Name);
}

public sealed record OutputDataset(string Namespace, string Name,
    IReadOnlyDictionary<string, Facet>? Facets = null, IReadOnlyDictionary<string, Facet>? OutputFacets = null)
{
    [JsonIgnore]
    public DatasetRef Ref => new(Namespace, Name);
}

/// <summary>A dataset by its OpenLineage identity; <see cref="NodeId"/> is Marquez's node id form.</summary>
public sealed record DatasetRef(string Namespace, string Name)
{
    public string NodeId => $"dataset:{Namespace}:{Name}";
}

/// <summary>A job by its OpenLineage identity; <see cref="NodeId"/> is Marquez's node id form.</summary>
public sealed record JobRef(string Namespace, string Name)
{
    public string NodeId => $"job:{Namespace}:{Name}";
}

/// <summary>The JSON form of events: camelCase, nulls left out, the spec's own names where they differ (<c>schemaURL</c>, <c>_producer</c>).</summary>
public static class OpenLineageJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(RunEvent runEvent) => JsonSerializer.Serialize(runEvent, Options);
}
