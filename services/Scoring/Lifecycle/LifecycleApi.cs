using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.ServiceDefaults.Problems;

namespace Vigil.Scoring.Lifecycle;

/// <summary>The retraining loop's API: a dataset's lifecycle policy, the automatic steps taken, and daily model performance.</summary>
public static class LifecycleApi
{
    /// <summary>Longest range one performance request may cover, in days.</summary>
    public const int MaxPerformanceDays = 366;

    private static readonly JsonSerializerOptions StrictJson = new(JsonSerializerOptions.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    public static IEndpointRouteBuilder MapLifecycleApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/datasets/{name}/models").WithTags("Model lifecycle");
        api.MapGet("policy", GetPolicy).WithName("GetModelPolicy")
            .WithSummary("The dataset's retraining loop: automatic promotion (shadow batches, false-alarm budget, feedback tolerance) and drift retraining (PSI threshold, days, period).");
        api.MapPut("policy", SetPolicy).WithName("SetModelPolicy")
            .WithSummary("Sets the dataset's retraining loop; fields left out take their defaults, unknown fields and out-of-range values are refused.");
        api.MapGet("events", ListEvents).WithName("ListModelEvents")
            .WithSummary("Every automatic step of the retraining loop, newest first: retrainings triggered (and why), trained or failed, versions promoted or kept in testing with the reason.");
        api.MapGet("performance", GetPerformance).WithName("GetModelPerformance")
            .WithSummary("Per day (UTC) and model version: predictions, review, block, confirmed and false alarms from feedback, precision, recall, scoring latency and thresholds.");
        return app;
    }

    public static async Task<Ok<LifecyclePolicy>> GetPolicy(string name, LifecycleStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.PolicyAsync(name, cancellationToken));

    public static async Task<Results<Ok<LifecyclePolicy>, ValidationProblem, ProblemHttpResult>> SetPolicy(
        string name, JsonElement body, LifecycleStore store, CancellationToken cancellationToken)
    {
        if (body.ValueKind != JsonValueKind.Object)
            return ApiProblem.BadRequest("Invalid policy", "The policy must be a JSON object.");
        LifecyclePolicy policy;
        try
        {
            policy = body.Deserialize<LifecyclePolicy>(StrictJson)!;
        }
        catch (JsonException e)
        {
            return ApiProblem.BadRequest("Invalid policy", e.Message);
        }
        if (policy.Problems() is { Count: > 0 } problems)
            return ApiProblem.Validation(problems, title: "Invalid policy", detail: "One or more policy values are out of range.");
        await store.SetPolicyAsync(name, policy, cancellationToken);
        return TypedResults.Ok(policy);
    }

    public static async Task<Results<Ok<IReadOnlyList<ModelEvent>>, ProblemHttpResult>> ListEvents(
        string name, LifecycleStore store, CancellationToken cancellationToken, int limit = 100)
    {
        if (limit is < 1 or > 1000) return ApiProblem.BadRequest("Invalid limit", $"limit must be 1-1000; got {limit}.");
        return TypedResults.Ok(await store.EventsAsync(name, limit, cancellationToken));
    }

    public sealed record PerformanceTable(string Dataset, DateOnly From, DateOnly To, IReadOnlyList<DailyPerformance> Days);

    public static async Task<Results<Ok<PerformanceTable>, ProblemHttpResult>> GetPerformance(
        string name, LifecycleStore store, TimeProvider clock, CancellationToken cancellationToken, string? from = null, string? to = null)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (!TryDay(to, today, out var last)) return ApiProblem.BadRequest("Invalid range", $"'to' must be a date (yyyy-MM-dd); got '{to}'.");
        if (!TryDay(from, last.AddDays(-29), out var first)) return ApiProblem.BadRequest("Invalid range", $"'from' must be a date (yyyy-MM-dd); got '{from}'.");
        if (first > last) return ApiProblem.BadRequest("Invalid range", $"'from' ({first:yyyy-MM-dd}) is after 'to' ({last:yyyy-MM-dd}).");
        if (last.DayNumber - first.DayNumber + 1 > MaxPerformanceDays)
            return ApiProblem.BadRequest("Invalid range", $"A range covers at most {MaxPerformanceDays} days; {first:yyyy-MM-dd} to {last:yyyy-MM-dd} covers {last.DayNumber - first.DayNumber + 1}.");
        return TypedResults.Ok(new PerformanceTable(name, first, last, await store.PerformanceAsync(name, first, last, cancellationToken)));
    }

    private static bool TryDay(string? text, DateOnly fallback, out DateOnly day)
    {
        day = fallback;
        return text is null || DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
    }

}
