using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Vigil.Lineage.OpenLineage;
using Vigil.Lineage.Storage;
using Vigil.ServiceDefaults.Problems;

namespace Vigil.Lineage.Apis;

public static class LineageApi
{
    public static IEndpointRouteBuilder MapLineageApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/lineage").WithTags("Lineage");
        api.MapGet("events", GetEvents)
            .WithName("GetOpenLineageEvents")
            .WithSummary("The OpenLineage run events of a run (START/COMPLETE/FAIL of the pipeline and each stage), as a JSON array an OpenLineage backend can ingest.");
        api.MapGet("datasets/{**name}", GetDatasetGraph)
            .WithName("GetDatasetLineage")
            .WithSummary("Upstream and downstream datasets and jobs of a dataset (a Vigil dataset name, or an object key), depth 1-5 hops.");
        api.MapGet("spec/facets/{file}", GetFacetSchema)
            .WithName("GetFacetSchema")
            .WithSummary("The JSON schema of one of Vigil's custom OpenLineage facets (vigil_dqScore, vigil_scoring).");
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<JsonElement>>, ProblemHttpResult>> GetEvents(
        Guid? runId, LineageStore lineage, CancellationToken cancellationToken)
    {
        if (runId is not { } id)
            return ApiProblem.BadRequest(title: "runId is required", detail: "Ask for the events of one run: ?runId=<run id>.");
        var events = await lineage.EventsAsync(id, cancellationToken);
        return events.Count > 0
            ? TypedResults.Ok(events)
            : ApiProblem.NotFound(title: "No events",
                detail: $"No OpenLineage events are recorded for run {id}. A run's events appear a moment after its batch is accepted.");
    }

    /// <summary>The dataset (route) and query of GET /api/lineage/datasets/{name}: its namespace when the name is ambiguous, hops, one run.</summary>
    public sealed record DatasetGraphQuery(
        [FromRoute(Name = "name")] string Name,
        [FromQuery(Name = "namespace")] string? Namespace = null,
        [FromQuery(Name = "depth")] int Depth = 1,
        [FromQuery(Name = "runId")] Guid? RunId = null);

    public static async Task<Results<Ok<DatasetGraph>, ProblemHttpResult>> GetDatasetGraph(
        [AsParameters] DatasetGraphQuery query, LineageStore lineage, CancellationToken cancellationToken)
    {
        var (name, @namespace, depth, runId) = query;
        if (depth is < 1 or > LineageGraph.MaxDepth)
            return ApiProblem.BadRequest(title: "Invalid depth", detail: $"depth must be 1-{LineageGraph.MaxDepth}.");

        var namespaces = await lineage.NamespacesOfAsync(name, cancellationToken);
        if (@namespace is not null) namespaces = [.. namespaces.Where(n => n == @namespace)];
        if (namespaces.Count == 0)
            return ApiProblem.NotFound(title: "Unknown dataset",
                detail: $"No recorded run read or wrote a dataset named '{name}'{(@namespace is null ? "" : $" in namespace '{@namespace}'")}.");
        if (namespaces.Count > 1)
            return ApiProblem.BadRequest(title: "Ambiguous dataset",
                detail: $"Datasets named '{name}' exist in {string.Join(", ", namespaces)}; choose one with ?namespace=.");

        var root = new DatasetRef(namespaces[0], name);
        var (runs, truncated) = await lineage.JobRunsAroundAsync(root, depth, runId, cancellationToken);
        return TypedResults.Ok(LineageGraph.Traverse(runs, root, depth) with { Truncated = truncated });
    }

    public static Results<FileStreamHttpResult, ProblemHttpResult> GetFacetSchema(string file) =>
        typeof(LineageApi).Assembly.GetManifestResourceStream($"facets/{file}") is { } schema
            ? TypedResults.Stream(schema, "application/schema+json")
            : ApiProblem.NotFound(title: "Unknown facet schema",
                detail: $"Vigil serves {VigilDqScoreDatasetFacet.SchemaFile} and {VigilScoringRunFacet.SchemaFile}.");
}
