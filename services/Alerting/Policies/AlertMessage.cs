using System.Text.Json.Serialization;

namespace Vigil.Alerting.Policies;

/// <summary>Why an alert was raised: the run's outcome, or the run staying open too long.</summary>
public static class AlertTriggers
{
    public const string Outcome = "outcome";
    public const string Stuck = "stuck";

    /// <summary>A run that an earlier alert called failed or stuck has completed after all.</summary>
    public const string Resolved = "resolved";

    public static string Of(RunState state) => state == RunState.Stuck ? Stuck : Outcome;
}

/// <summary>
/// One alert of a policy about a run: the conditions it reports (each saying how many times it was suppressed since
/// it last alerted), the conditions throttled this time, and the run summary. Every channel renders this record.
/// </summary>
public sealed record AlertMessage
{
    public required Guid AlertId { get; init; }
    public required Guid PolicyId { get; init; }
    public required string PolicyName { get; init; }
    public required string Dataset { get; init; }
    public required Guid RunId { get; init; }
    public required string Trigger { get; init; }
    public required Severity Severity { get; init; }

    /// <summary>The conditions this message reports.</summary>
    public required IReadOnlyList<FiredCondition> Conditions { get; init; }

    /// <summary>Conditions that also held but are throttled in their window (not what this message is about).</summary>
    public IReadOnlyList<FiredCondition> SuppressedConditions { get; init; } = [];

    /// <summary>Alerts of these conditions suppressed since each last alerted, summed.</summary>
    public int SuppressedSinceLast => Conditions.Sum(c => c.SuppressedSinceLast);

    public required RunSummary Run { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>For a <see cref="AlertTriggers.Resolved"/> alert: the earlier alerts of the policy it resolves.</summary>
    public IReadOnlyList<Guid> Resolves { get; init; } = [];

    /// <summary>
    /// Splits what fired into what is reported and what is throttled (<paramref name="throttled"/> holds the keys of
    /// conditions inside their window). Severity is the highest of all that fired.
    /// </summary>
    public static AlertMessage Compose(Guid alertId, Guid policyId, string policyName, RunFacts run, IReadOnlyList<FiredCondition> fired,
        IReadOnlySet<string> throttled, string publicBaseUrl, DateTimeOffset createdAt) => new()
        {
            AlertId = alertId,
            PolicyId = policyId,
            PolicyName = policyName,
            Dataset = run.Dataset,
            RunId = run.RunId,
            Trigger = AlertTriggers.Of(run.State),
            Severity = PolicyEvaluator.Highest(fired),
            Conditions = [.. fired.Where(f => !throttled.Contains(f.Key))],
            SuppressedConditions = [.. fired.Where(f => throttled.Contains(f.Key))],
            Run = RunSummary.From(run, publicBaseUrl),
            CreatedAt = createdAt,
        };

    /// <summary>
    /// The resolution of a policy's earlier failed or stuck alerts about a run that has now completed: not throttled
    /// (it closes what was already said), as severe as the most severe alert it resolves, so it reaches the same people.
    /// </summary>
    public static AlertMessage Resolution(Guid alertId, Guid policyId, string policyName, RunFacts completed, IReadOnlyList<ResolvedAlert> resolved,
        string publicBaseUrl, DateTimeOffset createdAt)
    {
        var severity = resolved.Max(a => a.Severity);
        var what = string.Join(" and ", resolved.Select(a => a.Trigger == AlertTriggers.Stuck ? "stuck" : "failed").Distinct());
        return new AlertMessage
        {
            AlertId = alertId,
            PolicyId = policyId,
            PolicyName = policyName,
            Dataset = completed.Dataset,
            RunId = completed.RunId,
            Trigger = AlertTriggers.Resolved,
            Severity = severity,
            Conditions = [new FiredCondition(AlertTriggers.Resolved, AlertTriggers.Resolved, severity,
                $"Run {completed.RunId} completed after all; it was alerted as {what} ({resolved.Count} earlier alert{(resolved.Count == 1 ? "" : "s")}).")],
            Run = RunSummary.From(completed, publicBaseUrl),
            CreatedAt = createdAt,
            Resolves = [.. resolved.Select(a => a.AlertId)],
        };
    }

    /// <summary>Nothing left to send: every condition that held is throttled.</summary>
    [JsonIgnore]
    public bool IsSuppressed => Conditions.Count == 0;
}

/// <summary>An alert that called a run failed or stuck, which a completion of the run resolves.</summary>
public sealed record ResolvedAlert(Guid AlertId, string Trigger, Severity Severity);
