using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Ingest.Intake;
using Vigil.Ingest.Pulls;
using Vigil.ServiceDefaults.Problems;
using static Vigil.Ingest.Apis.IntakeProblems;

namespace Vigil.Ingest.Apis;

public static class PullsApi
{
    public static IEndpointRouteBuilder MapPullsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/datasets/{name}/pulls").WithTags("Pulls");
        api.MapPost("", PullFromDatabase)
            .WithName("PullFromDatabase")
            .WithSummary("Read the dataset's configured target (and source) from their databases and validate them like an uploaded batch.")
            .WithDescription("The dataset's definition names, under 'pull', a target and optionally a source: each a server-side connection name plus a table/view or a read-only query. Connections are PostgreSQL (rows read with binary COPY in a read-only transaction), MySQL/MariaDB (a read-only transaction, rows streamed) or SQLite database files configured on the server (opened read-only); every read is bounded by Ingest:PullTimeout. Same query and Idempotency-Key as batches.");
        return app;
    }

    public static async Task<Results<Accepted<BatchAccepted>, Ok<BatchAccepted>, ProblemHttpResult>> PullFromDatabase(
        [AsParameters] IntakeRequest parameters,
        [AsParameters] IntakeServices checks,
        PullRunner runner,
        CancellationToken cancellationToken)
    {
        if (await checks.AdmitAsync(parameters, cancellationToken) is { } early) return early;
        var name = parameters.Name;
        if (await checks.Catalog.FindDefinitionAsync(name, cancellationToken) is not { } definition || PullPlan.FromDefinition(definition) is not { } plan)
            return ApiProblem.BadRequest("No pull configured", $"Dataset '{name}' has no 'pull' section naming a target (and optionally a source) to read.");
        try
        {
            return ToResult(await runner.RunAsync(plan, parameters.ToSubmission(), cancellationToken));
        }
        catch (PullException e)
        {
            return ApiProblem.Unprocessable("Pull failed", e.Message);
        }
    }
}
