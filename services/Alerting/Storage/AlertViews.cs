using Vigil.Alerting.Policies;

namespace Vigil.Alerting.Storage;

/// <summary>Alert statuses: waiting for delivery, delivered on every channel, throttled, or dead-lettered on some channel.</summary>
public static class AlertStatuses
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Suppressed = "suppressed";
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Pending, Sent, Suppressed, Failed];
}

/// <summary>An alert as the API lists it: what fired, what was throttled, how each channel fared, and the run summary.</summary>
public sealed record AlertView(
    Guid Id, Guid RunId, string Dataset, Guid PolicyId, string PolicyName, string Trigger, Severity Severity, string Status,
    DateTimeOffset CreatedAt, int SuppressedSinceLast, IReadOnlyList<FiredCondition> Conditions, IReadOnlyList<FiredCondition> SuppressedConditions,
    IReadOnlyList<DeliveryView> Deliveries, RunSummary Run)
{
    /// <summary>For a <c>resolved</c> alert: the earlier alerts it resolves.</summary>
    public IReadOnlyList<Guid> Resolves { get; init; } = [];
}

/// <summary>A policy's alerts about a run that a completion of the run resolves, and the channels they went to.</summary>
public sealed record UnresolvedAlerts(Guid PolicyId, string PolicyName, IReadOnlyList<ResolvedAlert> Alerts, IReadOnlyList<ChannelDefinition> Channels);

/// <summary>One channel's delivery of an alert.</summary>
public sealed record DeliveryView(string Channel, ChannelKind Kind, string Status, int Attempts, string? LastError, DateTimeOffset? SentAt);

/// <summary>A delivery that failed its last attempt: where it was going, what it would have sent, and why it failed.</summary>
public sealed record DeadLetterView(
    Guid AlertId, string Channel, Guid RunId, string Dataset, ChannelKind Kind, string Target, string Payload, string Error, int Attempts, DateTimeOffset FailedAt);

/// <summary>A delivery the worker claimed: its channel, the attempt it is on, and the alert to render.</summary>
public sealed record DueDelivery(Guid AlertId, string Channel, ChannelDefinition Definition, int Attempt, AlertMessage Alert);
