namespace Vigil.Lineage.OpenLineage;

/// <summary>How Vigil names itself and its jobs in OpenLineage events (section <c>Lineage:OpenLineage</c>).</summary>
public sealed class OpenLineageOptions
{
    public const string Section = "Lineage:OpenLineage";

    /// <summary>Namespace of Vigil's jobs and of its logical datasets (<c>vigil</c> / <c>{dataset}</c>).</summary>
    public string Namespace { get; set; } = "vigil";

    /// <summary>The URI every event and facet names as its producer.</summary>
    public string Producer { get; set; } = "https://vigil.example.com/lineage";

    /// <summary>
    /// Where the JSON schemas of Vigil's custom facets are served: Lineage serves them at
    /// <c>/api/lineage/spec/facets/{file}</c>, so this is the gateway's public address followed by that path.
    /// </summary>
    public string FacetSchemaBaseUrl { get; set; } = "https://vigil.example.com/api/lineage/spec/facets/";

    public bool IsValid(out string problem)
    {
        problem = string.IsNullOrWhiteSpace(Namespace) ? $"{Section}:Namespace is empty."
            : !Uri.TryCreate(Producer, UriKind.Absolute, out _) ? $"{Section}:Producer '{Producer}' is not an absolute URI."
            : !Uri.TryCreate(FacetSchemaBaseUrl, UriKind.Absolute, out _) ? $"{Section}:FacetSchemaBaseUrl '{FacetSchemaBaseUrl}' is not an absolute URL."
            : "";
        return problem.Length == 0;
    }
}

/// <summary>Everything the mapper needs to name things: the options plus the object store's bucket.</summary>
public sealed record OpenLineageSettings(string Namespace, string Producer, string FacetSchemaBaseUrl, string Bucket)
{
    /// <summary>OpenLineage's naming for S3: namespace <c>s3://{bucket}</c>, name = the object key.</summary>
    public string ObjectStoreNamespace => $"s3://{Bucket}";

    public static OpenLineageSettings From(OpenLineageOptions options, string bucket) =>
        new(options.Namespace, options.Producer, options.FacetSchemaBaseUrl.EndsWith('/') ? options.FacetSchemaBaseUrl : options.FacetSchemaBaseUrl + "/", bucket);

    public string CustomFacetSchema(string file, string definition) => $"{FacetSchemaBaseUrl}{file}#/$defs/{definition}";
}
