using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.ServiceDefaults.Problems;
using Vigil.Validation.Datasets;
using Vigil.Validation.Storage;

namespace Vigil.Validation.Apis;

public static class DatasetsApi
{
    public static IEndpointRouteBuilder MapDatasetsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/datasets").WithTags("Datasets");
        api.MapPost("", RegisterDataset)
            .WithName("RegisterDataset")
            .WithSummary("Register a dataset, or change its definition (a change makes a new version).");
        api.MapGet("", ListDatasets)
            .WithName("ListDatasets")
            .WithSummary("Registered datasets with their current versions.");
        api.MapGet("{name}", GetDataset)
            .WithName("GetDataset")
            .WithSummary("A dataset's current definition and version.");
        return app;
    }

    public static async Task<Results<Created<DatasetView>, Ok<DatasetView>, ValidationProblem>> RegisterDataset(
        DatasetDefinition definition, DatasetStore store, SchemaStore schemas, CancellationToken cancellationToken)
    {
        var (compiled, errors) = CompiledDataset.Compile(definition, version: 0);
        if (errors.Count > 0) return ApiProblem.Validation(errors, title: "The dataset definition is not valid");

        definition = compiled!.Definition;
        var before = await store.FindAsync(definition.Name, cancellationToken);
        var (saved, created, changed) = await store.SaveAsync(definition, cancellationToken);
        // A new expected schema is a new statement of what batches should look like: the baseline goes back to it.
        if (changed && before is not null && !SameSchema(SchemaApi.Expected(before), compiled.ExpectedSchema))
            await schemas.ChooseAsync(definition.Name, compiled.ExpectedSchema, runId: null, BaselineOrigins.Reset, cancellationToken);
        var view = DatasetView.From(saved, changed);
        return created ? TypedResults.Created($"/api/datasets/{saved.Definition.Name}", view) : TypedResults.Ok(view);
    }

    public static async Task<Ok<IReadOnlyList<DatasetView>>> ListDatasets(DatasetStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<DatasetView>>([.. (await store.ListAsync(cancellationToken)).Select(d => DatasetView.From(d, changed: false))]);

    public static async Task<Results<Ok<DatasetView>, ProblemHttpResult>> GetDataset(string name, DatasetStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(name, cancellationToken) is { } found
            ? TypedResults.Ok(DatasetView.From(found, changed: false))
            : ApiProblem.UnknownDataset(name);

    private static bool SameSchema(Schema.SchemaSnapshot? a, Schema.SchemaSnapshot? b) =>
        (a is null && b is null) || (a is not null && b is not null && Schema.SchemaJson.Serialize(a) == Schema.SchemaJson.Serialize(b));
}

/// <summary>A dataset as the API shows it.</summary>
public sealed record DatasetView(string Name, int Version, bool Changed, DatasetDefinition Definition, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static DatasetView From(StoredDataset stored, bool changed) =>
        new(stored.Definition.Name, stored.Version, changed, stored.Definition, stored.CreatedAt, stored.UpdatedAt);
}
