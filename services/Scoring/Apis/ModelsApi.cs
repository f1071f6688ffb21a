using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Features;
using Vigil.Scoring.Models;
using Vigil.Scoring.Storage;

namespace Vigil.Scoring.Apis;

public static class ModelsApi
{
    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/datasets/{name}/models").WithTags("Models");
        api.MapPost("", TrainModel).WithName("TrainModel")
            .WithSummary("Train the ensemble on a validated run's batch (normal records only); the new version starts as 'testing'.");
        api.MapGet("", ListModels).WithName("ListModels").WithSummary("Model versions of a dataset, newest first, with status and metrics.");
        api.MapPost("{version:int}/promote", PromoteModel).WithName("PromoteModel")
            .WithSummary("Make a version the active model; the previously active one is archived.");
        api.MapPost("rollback", RollBack).WithName("RollBackModel")
            .WithSummary("Re-activate the most recently archived version.");
        return app;
    }

    public sealed record TrainModelRequest(Guid RunId, string? LabelColumn = null);

    public sealed record ModelView(string Dataset, int Version, string Status, System.Text.Json.JsonElement Metrics, Guid TrainedFrom,
        DateTimeOffset CreatedAt, DateTimeOffset? PromotedAt)
    {
        public static ModelView From(ModelRecord m) => new(m.Dataset, m.Version, m.Status, m.Metrics, m.TrainedFrom, m.CreatedAt, m.PromotedAt);
    }

    public static async Task<Results<Created<ModelView>, ProblemHttpResult>> TrainModel(
        string name, TrainModelRequest request, ScoringStore store, ModelRegistry registry, BatchLoader loader, CancellationToken cancellationToken)
    {
        if (await store.FindBatchAsync(request.RunId, cancellationToken) is not { } batch || batch.Dataset != name)
            return Problem(StatusCodes.Status404NotFound, "Unknown run", $"Run {request.RunId} is not a validated batch of '{name}'; train on a run that completed validation.");
        try
        {
            var table = await loader.LoadAsync(batch.ObjectKey, batch.ContentType, batch.CsvDelimiter, cancellationToken);
            var excluded = await loader.FailingRowsAsync(batch.DefectsKey, cancellationToken);
            var (model, metrics) = await Task.Run(() => EnsembleTrainer.Train(table, new TrainingRequest
            {
                KeyColumns = batch.KeyColumns,
                LabelColumn = request.LabelColumn,
                ExcludedRows = excluded,
            }), cancellationToken);
            var version = await registry.AddAsync(name, model, metrics, request.RunId, cancellationToken);
            var stored = (await store.ModelsAsync(name, cancellationToken)).Single(m => m.Version == version);
            return TypedResults.Created($"/api/datasets/{name}/models/{version}", ModelView.From(stored));
        }
        catch (Exception e) when (e is TrainingException or FeaturePipelineException or ArgumentException)
        {
            return Problem(StatusCodes.Status422UnprocessableEntity, "Training failed", e.Message);
        }
    }

    public static async Task<Ok<IReadOnlyList<ModelView>>> ListModels(string name, ScoringStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<ModelView>>([.. (await store.ModelsAsync(name, cancellationToken)).Select(ModelView.From)]);

    public static async Task<Results<Ok<ModelView>, ProblemHttpResult>> PromoteModel(string name, int version, ScoringStore store, CancellationToken cancellationToken)
    {
        if (!await store.ActivateAsync(name, version, cancellationToken))
            return Problem(StatusCodes.Status404NotFound, "Unknown model version", $"'{name}' has no model version {version}.");
        return TypedResults.Ok(ModelView.From((await store.ModelsAsync(name, cancellationToken)).Single(m => m.Version == version)));
    }

    public static async Task<Results<Ok<ModelView>, ProblemHttpResult>> RollBack(string name, ScoringStore store, CancellationToken cancellationToken)
    {
        var models = await store.ModelsAsync(name, cancellationToken);
        var previous = models.Where(m => m.Status == "archived").OrderByDescending(m => m.PromotedAt).FirstOrDefault();
        if (previous is null)
            return Problem(StatusCodes.Status409Conflict, "Nothing to roll back to", $"'{name}' has no archived model version.");
        await store.ActivateAsync(name, previous.Version, cancellationToken);
        return TypedResults.Ok(ModelView.From((await store.ModelsAsync(name, cancellationToken)).Single(m => m.Version == previous.Version)));
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) => TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
