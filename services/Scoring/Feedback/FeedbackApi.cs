using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Scoring.Lifecycle;
using Vigil.Scoring.Models;
using Vigil.Scoring.Storage;
using Vigil.ServiceDefaults.Problems;

namespace Vigil.Scoring.Feedback;

/// <summary>Reviewers' verdicts on a run's records: true anomalies or false alarms, counted in the daily model performance.</summary>
public static class FeedbackApi
{
    public const int MaxKeys = 10_000;

    /// <summary>How many unknown keys a refusal lists (it counts them all).</summary>
    public const int MaxListedKeys = 100;

    public static readonly string[] Verdicts = ["true_anomaly", "false_alarm"];

    public static IEndpointRouteBuilder MapFeedbackApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("api/runs/{id:guid}/feedback", GiveFeedback).WithTags("Feedback").WithName("GiveFeedback")
            .WithSummary("Marks records of a run, named by their keys, as true anomalies or false alarms; a later verdict on a record replaces the earlier one. Keys not in the run: 422, nothing written.");
        return app;
    }

    /// <param name="Verdict">true_anomaly or false_alarm, for every key given.</param>
    /// <param name="Keys">Records by key: objects naming the key columns, or bare values when there is one key column.</param>
    public sealed record FeedbackRequest(string? Verdict, IReadOnlyList<JsonElement>? Keys);

    /// <param name="Rows">Rows the keys named (a key repeated in the batch names each of its rows).</param>
    public sealed record FeedbackReceipt(Guid RunId, string Verdict, int Keys, int Rows);

    public static async Task<Results<Ok<FeedbackReceipt>, ProblemHttpResult>> GiveFeedback(
        Guid id, FeedbackRequest request, ScoringStore scoring, LifecycleStore lifecycle, BatchLoader loader, CancellationToken cancellationToken)
    {
        if (await scoring.FindBatchAsync(id, cancellationToken) is not { } batch)
            return ApiProblem.NotFound("Unknown run", $"Run {id} has not reached scoring; feedback is given on scored runs.");
        if (request.Verdict is not { } verdict || !Verdicts.Contains(verdict))
            return ApiProblem.BadRequest("Invalid verdict", $"'verdict' must be one of {string.Join(", ", Verdicts)}; got '{request.Verdict}'.");
        if (request.Keys is not { Count: > 0 and <= MaxKeys } given)
            return ApiProblem.BadRequest("Invalid keys", $"'keys' must list between 1 and {MaxKeys} record keys; got {request.Keys?.Count ?? 0}.");

        var table = await loader.LoadAsync(batch.ObjectKey, batch.ContentType, batch.CsvDelimiter, cancellationToken);
        var keyColumns = batch.KeyColumns.Where(table.HasColumn).ToList();
        if (keyColumns.Count == 0)
            return ApiProblem.Unprocessable("No record keys", $"Run {id} has none of its dataset's key columns, so its records cannot be named.");
        var (keys, error) = FeedbackKeys.Parse(keyColumns, given);
        if (error is not null) return ApiProblem.BadRequest("Invalid keys", error);

        var index = FeedbackKeys.Index(table, keyColumns);
        var rows = new Dictionary<long, string>();
        var missing = new List<Dictionary<string, string?>>();
        foreach (var key in keys)
        {
            if (!index.TryGetValue(FeedbackKeys.Identity(key), out var found))
            {
                missing.Add(FeedbackKeys.AsObject(keyColumns, key));
                continue;
            }
            var json = JsonSerializer.Serialize(FeedbackKeys.AsObject(keyColumns, key));
            foreach (var row in found) rows[row + 1] = json;
        }
        if (missing.Count > 0)
        {
            return ApiProblem.Unprocessable("Keys not in the run",
                $"{missing.Count} of {keys.Count} keys name no record of run {id}; nothing was recorded.",
                new Dictionary<string, object?> { ["missingKeys"] = missing.Take(MaxListedKeys).ToList(), ["missingCount"] = missing.Count });
        }
        await lifecycle.SaveFeedbackAsync(id, batch.Dataset, verdict, [.. rows.Select(r => (r.Key, r.Value))], cancellationToken);
        return TypedResults.Ok(new FeedbackReceipt(id, verdict, keys.Count, rows.Count));
    }

}
