using System.Text.Json.Serialization;

namespace Vigil.Alerting.Policies;

/// <summary>Where a policy's alerts go.</summary>
public enum ChannelKind { Webhook, Slack, Email }

/// <summary>
/// A channel of a policy: a generic JSON webhook, a Slack-compatible incoming webhook, or e-mail over the SMTP server
/// configured under <c>Alerting:Smtp</c>. <see cref="Name"/> (the kind when left out) is unique within the policy.
/// </summary>
public sealed record ChannelDefinition
{
    public string? Name { get; init; }

    public ChannelKind Kind { get; init; }

    /// <summary>Webhook and Slack: the absolute http(s) address to POST to.</summary>
    public string? Url { get; init; }

    /// <summary>E-mail: the recipients.</summary>
    public IReadOnlyList<string> To { get; init; } = [];

    [JsonIgnore]
    public string EffectiveName => string.IsNullOrWhiteSpace(Name) ? Kind.ToString().ToLowerInvariant() : Name;
}
