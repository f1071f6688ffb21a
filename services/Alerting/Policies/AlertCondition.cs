using System.Globalization;
using System.Text.Json.Serialization;

namespace Vigil.Alerting.Policies;

/// <summary>One condition of a policy: its kind, the limit it compares against and the severity it raises.</summary>
public sealed record AlertCondition
{
    public string Kind { get; init; } = "";

    /// <summary>The limit for <c>dq_score_below</c> (0-100), <c>anomaly_rate_above</c> (0-1), <c>feature_drift_above</c> (PSI) and <c>rules_failed</c> (a count).</summary>
    public double? Threshold { get; init; }

    /// <summary>For <c>run_not_completed_within</c>: how long a run may take, e.g. <c>"00:30:00"</c>.</summary>
    public TimeSpan? Within { get; init; }

    public Severity Severity { get; init; } = Severity.Warning;

    /// <summary>What makes two conditions "the same" for throttling: the kind and its limit.</summary>
    [JsonIgnore]
    public string Key => Kind switch
    {
        ConditionKinds.RunNotCompletedWithin => $"{Kind}:{Within?.ToString("c", CultureInfo.InvariantCulture)}",
        _ when Threshold is { } limit => $"{Kind}:{limit.ToString(CultureInfo.InvariantCulture)}",
        _ => Kind,
    };
}
