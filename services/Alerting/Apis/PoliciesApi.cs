using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Vigil.Alerting.Policies;
using Vigil.Alerting.Storage;
using Vigil.Contracts;
using Vigil.ServiceDefaults.Problems;

namespace Vigil.Alerting.Apis;

public static class PoliciesApi
{
    public static IEndpointRouteBuilder MapPoliciesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/alerts/policies").WithTags("Alert policies");
        api.MapPost("", SavePolicy)
            .WithName("SaveAlertPolicy")
            .WithSummary("Register an alert policy for a dataset (conditions, channels, throttle window), or replace the one with the same dataset and name.");
        api.MapGet("", ListPolicies)
            .WithName("ListAlertPolicies")
            .WithSummary("Alert policies, optionally of one dataset.");
        api.MapGet("{id:guid}", GetPolicy)
            .WithName("GetAlertPolicy")
            .WithSummary("One alert policy.");
        api.MapDelete("{id:guid}", DeletePolicy)
            .WithName("DeleteAlertPolicy")
            .WithSummary("Delete an alert policy; the alerts it raised stay listed.");
        return app;
    }

    public static async Task<Results<Created<PolicyView>, Ok<PolicyView>, ValidationProblem>> SavePolicy(
        PolicyDefinition definition, PolicyStore store, IOptions<AlertingOptions> options, CancellationToken cancellationToken)
    {
        var errors = definition.Validate();
        if (errors.Count > 0) return ApiProblem.Validation(errors, title: "The alert policy is not valid");

        var named = definition with { Channels = [.. definition.Channels.Select(c => c with { Name = c.EffectiveName })] };
        var (saved, created) = await store.SaveAsync(named, cancellationToken);
        var view = PolicyView.From(saved, options.Value);
        return created ? TypedResults.Created($"/api/alerts/policies/{saved.Id}", view) : TypedResults.Ok(view);
    }

    public static async Task<Results<Ok<IReadOnlyList<PolicyView>>, ProblemHttpResult>> ListPolicies(
        PolicyStore store, IOptions<AlertingOptions> options, CancellationToken cancellationToken, string? dataset = null)
    {
        if (dataset is not null && !DatasetNames.IsValid(dataset)) return AlertsApi.InvalidDataset(dataset);
        var policies = await store.ListAsync(dataset, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<PolicyView>>([.. policies.Select(p => PolicyView.From(p, options.Value))]);
    }

    public static async Task<Results<Ok<PolicyView>, ProblemHttpResult>> GetPolicy(
        Guid id, PolicyStore store, IOptions<AlertingOptions> options, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } policy ? TypedResults.Ok(PolicyView.From(policy, options.Value)) : NotFound(id);

    public static async Task<Results<NoContent, ProblemHttpResult>> DeletePolicy(Guid id, PolicyStore store, CancellationToken cancellationToken) =>
        await store.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : NotFound(id);

    private static ProblemHttpResult NotFound(Guid id) =>
        ApiProblem.NotFound(title: "Alert policy not found", detail: $"No alert policy {id} exists.");
}

/// <summary>A policy as the API shows it, with the throttle window that applies (the default when it sets none).</summary>
public sealed record PolicyView(
    Guid Id, string Dataset, string Name, bool Enabled, TimeSpan ThrottleWindow, IReadOnlyList<AlertCondition> Conditions,
    IReadOnlyList<ChannelDefinition> Channels, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static PolicyView From(StoredPolicy policy, AlertingOptions options)
    {
        var d = policy.Definition;
        return new(policy.Id, d.Dataset, d.Name, d.Enabled, d.ThrottleWindow ?? options.DefaultThrottleWindow, d.Conditions, d.Channels,
            policy.CreatedAt, policy.UpdatedAt);
    }
}
