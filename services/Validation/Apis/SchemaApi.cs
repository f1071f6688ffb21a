using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.ServiceDefaults.Problems;
using Vigil.Validation.Datasets;
using Vigil.Validation.Schema;
using Vigil.Validation.Storage;

namespace Vigil.Validation.Apis;

/// <summary>
/// A dataset's schema baseline (what each batch's schema is compared with) and the two ways a user moves it: accept a
/// run's schema, or reset to the registered expected schema.
/// </summary>
public static class SchemaApi
{
    public static IEndpointRouteBuilder MapSchemaApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/datasets/{name}/schema").WithTags("Datasets");
        api.MapGet("", GetBaseline)
            .WithName("GetSchemaBaseline")
            .WithSummary("The schema batches of a dataset are compared with: where it came from and its columns.");
        api.MapPost("accept", AcceptRunSchema)
            .WithName("AcceptRunSchema")
            .WithSummary("Make the schema observed in a validated or blocked run of this dataset the baseline (body: { \"runId\": ... }).");
        api.MapPost("reset", ResetBaseline)
            .WithName("ResetSchemaBaseline")
            .WithSummary("Go back to the registered expected schema; without one, the next batch sets the baseline.");
        return app;
    }

    /// <summary>The run whose observed schema becomes the baseline.</summary>
    public sealed record AcceptSchemaRequest(Guid? RunId);

    public static async Task<Results<Ok<SchemaBaselineView>, ProblemHttpResult>> GetBaseline(
        string name, DatasetStore datasets, SchemaStore schemas, CancellationToken cancellationToken)
    {
        if (await datasets.FindAsync(name, cancellationToken) is not { } stored) return ApiProblem.UnknownDataset(name);
        var latest = await schemas.LatestAsync(name, cancellationToken);
        if (latest is { Snapshot: not null }) return TypedResults.Ok(SchemaBaselineView.From(name, latest));
        return Expected(stored) is { } expected
            ? TypedResults.Ok(new SchemaBaselineView(name, latest?.Version ?? 0, "expected", null, latest?.AcceptedAt, expected,
                "The registered expected schema; the first batch that matches it exactly refines it with measured profiles."))
            : ApiProblem.NotFound(title: "No schema baseline",
                detail: $"Dataset '{name}' has no expected schema and no baseline yet; the next validated batch sets one.");
    }

    public static async Task<Results<Ok<SchemaBaselineView>, ValidationProblem, ProblemHttpResult>> AcceptRunSchema(
        string name, AcceptSchemaRequest? request, DatasetStore datasets, SchemaStore schemas, ValidationRunStore runs, CancellationToken cancellationToken)
    {
        if (await datasets.FindAsync(name, cancellationToken) is null) return ApiProblem.UnknownDataset(name);
        if (request?.RunId is not { } runId || runId == Guid.Empty)
        {
            return ApiProblem.Validation(new Dictionary<string, string[]>
            {
                ["runId"] = ["Give the id of a validated or blocked run of this dataset: its observed schema becomes the baseline."],
            }, title: "A run id is needed");
        }
        if (await runs.FindAsync(runId, cancellationToken) is not { } run)
        {
            return ApiProblem.NotFound(title: "Unknown run",
                detail: $"Run {runId} has not been validated: only a run that reached validation (validated or blocked by drift) has a schema to accept.");
        }
        if (run.Dataset != name)
        {
            return ApiProblem.Conflict(title: "Run of another dataset",
                detail: $"Run {runId} is a run of '{run.Dataset}', not of '{name}'; accept it on /api/datasets/{run.Dataset}/schema/accept.");
        }
        if (run.Schema is null)
        {
            return ApiProblem.Unprocessable(title: "No observed schema",
                detail: $"Run {runId} was validated before observed schemas were kept; submit the batch again and accept the new run.");
        }
        await schemas.ChooseAsync(name, run.Schema, runId, BaselineOrigins.Accepted, cancellationToken);
        return TypedResults.Ok(SchemaBaselineView.From(name, (await schemas.LatestAsync(name, cancellationToken))!));
    }

    public static async Task<Results<Ok<SchemaBaselineView>, ProblemHttpResult>> ResetBaseline(
        string name, DatasetStore datasets, SchemaStore schemas, CancellationToken cancellationToken)
    {
        if (await datasets.FindAsync(name, cancellationToken) is not { } stored) return ApiProblem.UnknownDataset(name);
        var expected = Expected(stored);
        await schemas.ChooseAsync(name, expected, runId: null, BaselineOrigins.Reset, cancellationToken);
        return TypedResults.Ok(SchemaBaselineView.From(name, (await schemas.LatestAsync(name, cancellationToken))!));
    }

    /// <summary>The registered expected schema of the current definition, or null when none is declared.</summary>
    internal static SchemaSnapshot? Expected(StoredDataset stored) => CompiledDataset.Compile(stored.Definition, stored.Version).Dataset?.ExpectedSchema;
}

/// <summary>
/// A dataset's schema baseline: its version in the baseline history, where it came from (<c>batch</c>, <c>accepted</c>,
/// <c>reset</c>, or <c>expected</c> when no batch has set one yet), the run it was taken from, and the schema itself
/// (null after a reset of a dataset without an expected schema: the next batch sets it).
/// </summary>
public sealed record SchemaBaselineView(string Dataset, int Version, string Origin, Guid? RunId, DateTimeOffset? AcceptedAt, SchemaSnapshot? Schema,
    string Description)
{
    public static SchemaBaselineView From(string dataset, AcceptedSchema baseline) => new(dataset, baseline.Version, baseline.Origin, baseline.RunId,
        baseline.AcceptedAt, baseline.Snapshot, baseline.Origin switch
        {
            BaselineOrigins.Accepted => $"The schema of run {baseline.RunId}, accepted by a user.",
            BaselineOrigins.Reset when baseline.Snapshot is null => "Reset with no expected schema registered: the next validated batch sets the baseline.",
            BaselineOrigins.Reset => "Reset to the registered expected schema; the first batch that matches it exactly refines it with measured profiles.",
            _ => $"The schema of run {baseline.RunId}, recorded by validation (first batch, a refinement, or driftPolicy evolve).",
        });
}
