using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Features;
using Vigil.Scoring.Lifecycle;
using Vigil.Scoring.Models;
using Vigil.Scoring.Storage;
using Vigil.ServiceDefaults.Problems;

namespace Vigil.Scoring.Apis;

public static class ModelsApi
{
    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/datasets/{name}/models").WithTags("Models");
        api.MapPost("", TrainModel).WithName("TrainModel")
            .WithSummary("Train the ensemble on the normal records of one or several validated runs (runId, runs or lastRuns); the new version starts as 'testing'.");
        api.MapGet("", ListModels).WithName("ListModels").WithSummary("Model versions of a dataset, newest first, with status and metrics.");
        api.MapPost("{version:int}/promote", PromoteModel).WithName("PromoteModel")
            .WithSummary("Make a version the active model; the previously active one is archived.");
        api.MapPost("rollback", RollBack).WithName("RollBackModel")
            .WithSummary("Step back one place in the activation history: the version active before the current one becomes active again (v3 -> v2 -> v1 on successive rollbacks).");
        api.MapModelUploads();
        return app;
    }

    /// <summary>Most runs one training reads.</summary>
    public const int MaxTrainingRuns = 20;

    /// <summary>
    /// What to train on: exactly one of a run id, a list of run ids, or the dataset's last N validated runs; optionally
    /// a label column (its positives are left out of training and label the held-out split), how to set the thresholds
    /// and how to choose the weights.
    /// </summary>
    public sealed record TrainModelRequest(Guid? RunId = null, IReadOnlyList<Guid>? Runs = null, int? LastRuns = null, string? LabelColumn = null,
        ThresholdPolicy? Thresholds = null, WeightSelection? Weights = null, double? TrimShare = null);

    /// <param name="Warnings">What to know before promoting this version (thresholds clamped at the risk cap), see <see cref="ModelWarnings"/>.</param>
    public sealed record ModelView(string Dataset, int Version, string Status, System.Text.Json.JsonElement Metrics, Guid TrainedFrom,
        IReadOnlyList<Guid> TrainedFromRuns, DateTimeOffset CreatedAt, DateTimeOffset? PromotedAt, IReadOnlyList<string> Warnings)
    {
        public static ModelView From(ModelRecord m) =>
            new(m.Dataset, m.Version, m.Status, m.Metrics, m.TrainedFrom, m.TrainedFromRuns, m.CreatedAt, m.PromotedAt, ModelWarnings.For(m.Metrics));
    }

    public static async Task<Results<Created<ModelView>, ProblemHttpResult>> TrainModel(
        string name, TrainModelRequest request, ScoringStore store, ModelTraining training, CancellationToken cancellationToken)
    {
        var (batches, problem) = await BatchesToTrainOnAsync(name, request, store, cancellationToken);
        if (problem is not null) return problem;
        try
        {
            var (version, _) = await training.TrainAsync(name, batches, defaults => defaults with
            {
                LabelColumn = request.LabelColumn,
                Thresholds = request.Thresholds ?? defaults.Thresholds,
                WeightSelection = request.Weights ?? defaults.WeightSelection,
                TrimShare = request.TrimShare ?? defaults.TrimShare,
            }, cancellationToken);
            var stored = (await store.ModelsAsync(name, cancellationToken)).Single(m => m.Version == version);
            return TypedResults.Created($"/api/datasets/{name}/models/{version}", ModelView.From(stored));
        }
        catch (Exception e) when (e is TrainingException or FeaturePipelineException or ArgumentException)
        {
            return ApiProblem.Unprocessable("Training failed", e.Message);
        }
    }

    private static async Task<(IReadOnlyList<BatchRecord> Batches, ProblemHttpResult? Problem)> BatchesToTrainOnAsync(
        string name, TrainModelRequest request, ScoringStore store, CancellationToken cancellationToken)
    {
        var given = (request.RunId is null ? 0 : 1) + (request.Runs is null ? 0 : 1) + (request.LastRuns is null ? 0 : 1);
        if (given != 1)
            return ([], ApiProblem.BadRequest("Say what to train on",
                "Give exactly one of 'runId', 'runs' (a list of run ids) or 'lastRuns' (how many of the dataset's latest validated runs)."));
        if (request.LastRuns is { } last)
        {
            if (last is < 1 or > MaxTrainingRuns)
                return ([], ApiProblem.BadRequest("Invalid lastRuns", $"'lastRuns' must be between 1 and {MaxTrainingRuns}; got {last}."));
            var recent = await store.RecentBatchesAsync(name, last, cancellationToken);
            return recent.Count == 0
                ? ([], ApiProblem.NotFound("No validated runs", $"'{name}' has no validated run to train on."))
                : (recent, null);
        }
        IReadOnlyList<Guid> ids = request.RunId is { } one ? [one] : [.. request.Runs!.Distinct()];
        if (ids.Count is 0 or > MaxTrainingRuns)
            return ([], ApiProblem.BadRequest("Invalid runs", $"'runs' must list between 1 and {MaxTrainingRuns} run ids; got {ids.Count}."));
        var batches = await store.FindBatchesAsync(name, ids, cancellationToken);
        var missing = ids.Except(batches.Select(b => b.RunId)).ToList();
        return missing.Count > 0
            ? ([], ApiProblem.NotFound("Unknown run",
                $"{string.Join(", ", missing)} {(missing.Count == 1 ? "is not a validated batch" : "are not validated batches")} of '{name}'; train on runs that completed validation."))
            : (batches, null);
    }

    public static async Task<Ok<IReadOnlyList<ModelView>>> ListModels(string name, ScoringStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<ModelView>>([.. (await store.ModelsAsync(name, cancellationToken)).Select(ModelView.From)]);

    public static async Task<Results<Ok<ModelView>, ProblemHttpResult>> PromoteModel(string name, int version, ScoringStore store, CancellationToken cancellationToken)
    {
        if (!await store.ActivateAsync(name, version, cancellationToken))
            return ApiProblem.NotFound("Unknown model version", $"'{name}' has no model version {version}.");
        return TypedResults.Ok(ModelView.From((await store.ModelsAsync(name, cancellationToken)).Single(m => m.Version == version)));
    }

    public static async Task<Results<Ok<ModelView>, ProblemHttpResult>> RollBack(string name, ScoringStore store, CancellationToken cancellationToken)
    {
        if (await store.RollBackAsync(name, cancellationToken) is not { } previous)
            return ApiProblem.Conflict("Nothing to roll back to",
                $"'{name}' has no model version that was active before the current one (rollback steps back through the versions promoted, one per call).");
        return TypedResults.Ok(ModelView.From((await store.ModelsAsync(name, cancellationToken)).Single(m => m.Version == previous)));
    }
}
