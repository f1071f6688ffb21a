using System.Text.Json.Serialization;

namespace Vigil.Alerting.Policies;

/// <summary>Why an alert was raised: the run's outcome, or the run staying open too long.</summary>
public static class AlertTriggers
{
    public const string Outcome = "outcome";
    public const string Stuck = "stuck";

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

    /// <summary>Nothing left to send: every condition that held is throttled.</summary>
    [JsonIgnore]
    public bool IsSuppressed => Conditions.Count == 0;
}
