using System.Net.Mail;
using Vigil.Contracts;

namespace Vigil.Alerting.Policies;

/// <summary>
/// What a data engineer registers for a dataset: the conditions to watch for, the channels to tell, and how long the
/// same condition stays quiet after it alerted (<see cref="ThrottleWindow"/>; the service default when left out,
/// <c>00:00:00</c> never throttles). A policy is identified by dataset and name; registering it again replaces it.
/// </summary>
public sealed record PolicyDefinition
{
    public string Dataset { get; init; } = "";

    public string Name { get; init; } = "";

    public IReadOnlyList<AlertCondition> Conditions { get; init; } = [];

    public IReadOnlyList<ChannelDefinition> Channels { get; init; } = [];

    public TimeSpan? ThrottleWindow { get; init; }

    public bool Enabled { get; init; } = true;

    private static readonly TimeSpan LongestWindow = TimeSpan.FromDays(7);

    /// <summary>Every problem with the definition, keyed by the JSON path of the offending field; empty when it is valid.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, List<string>>();
        void Error(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
            list.Add(message);
        }

        if (!DatasetNames.IsValid(Dataset))
            Error("dataset", $"'{Dataset}' is not a dataset name: use lower-case letters, digits, '.', '_' or '-' (e.g. banking.transactions).");
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 100)
            Error("name", "A policy needs a name of 1-100 characters.");
        if (ThrottleWindow is { } window && (window < TimeSpan.Zero || window > LongestWindow))
            Error("throttleWindow", "throttleWindow must be between 00:00:00 (no throttling) and 7.00:00:00.");

        if (Conditions.Count == 0) Error("conditions", "A policy needs at least one condition.");
        for (var i = 0; i < Conditions.Count; i++) ValidateCondition(Conditions[i], $"conditions[{i}]", Error);
        if (Conditions.Count(c => c.Kind == ConditionKinds.RunNotCompletedWithin) > 1)
            Error("conditions", $"A policy takes at most one '{ConditionKinds.RunNotCompletedWithin}' condition (a run is reported stuck once per policy).");
        foreach (var duplicate in Conditions.GroupBy(c => c.Key).Where(g => g.Count() > 1))
            Error("conditions", $"The condition '{duplicate.Key}' is listed more than once.");

        if (Channels.Count == 0) Error("channels", "A policy needs at least one channel.");
        for (var i = 0; i < Channels.Count; i++) ValidateChannel(Channels[i], $"channels[{i}]", Error);
        foreach (var duplicate in Channels.GroupBy(c => c.EffectiveName).Where(g => g.Count() > 1))
            Error("channels", $"Channel names must be unique within a policy; '{duplicate.Key}' is used {duplicate.Count()} times (give each a name).");

        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }

    private static void ValidateCondition(AlertCondition condition, string path, Action<string, string> error)
    {
        if (!ConditionKinds.All.Contains(condition.Kind))
        {
            error($"{path}.kind", $"'{condition.Kind}' is not a condition; use one of {string.Join(", ", ConditionKinds.All)}.");
            return;
        }
        if (ConditionKinds.NeedsThreshold(condition.Kind) && condition.Threshold is null)
            error($"{path}.threshold", $"'{condition.Kind}' needs a threshold.");
        if (!ConditionKinds.TakesThreshold(condition.Kind) && condition.Threshold is not null)
            error($"{path}.threshold", $"'{condition.Kind}' takes no threshold.");
        if (condition.Threshold is { } limit)
        {
            var (min, max, what) = condition.Kind switch
            {
                ConditionKinds.DqScoreBelow => (0d, 100d, "a DQ score between 0 and 100"),
                ConditionKinds.AnomalyRateAbove => (0d, 1d, "a fraction of records between 0 and 1"),
                ConditionKinds.RulesFailed => (1d, 10_000d, "a whole number of rules, 1 or more"),
                _ => (0d, 1000d, "a PSI of 0 or more"),
            };
            if (!double.IsFinite(limit) || limit < min || limit > max || (condition.Kind == ConditionKinds.RulesFailed && limit != Math.Floor(limit)))
                error($"{path}.threshold", $"The threshold of '{condition.Kind}' is {what}.");
        }
        if (condition.Kind == ConditionKinds.RunNotCompletedWithin)
        {
            if (condition.Within is not { } within || within <= TimeSpan.Zero || within > LongestWindow)
                error($"{path}.within", $"'{condition.Kind}' needs 'within', a duration such as \"00:30:00\" (at most 7 days).");
        }
        else if (condition.Within is not null)
        {
            error($"{path}.within", $"'{condition.Kind}' takes no 'within'.");
        }
        if (!Enum.IsDefined(condition.Severity)) error($"{path}.severity", "severity must be info, warning or critical.");
    }

    private static void ValidateChannel(ChannelDefinition channel, string path, Action<string, string> error)
    {
        if (channel.Name is { } name && (name.Length is 0 or > 64 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))))
            error($"{path}.name", "A channel name is 1-64 letters, digits, '-', '_' or '.'.");
        switch (channel.Kind)
        {
            case ChannelKind.Webhook or ChannelKind.Slack:
                if (!Uri.TryCreate(channel.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                    error($"{path}.url", $"A {channel.Kind.ToString().ToLowerInvariant()} channel needs an absolute http(s) url.");
                if (channel.To.Count > 0) error($"{path}.to", "Only e-mail channels take recipients.");
                break;
            case ChannelKind.Email:
                if (channel.Url is not null) error($"{path}.url", "An e-mail channel takes recipients ('to'), not a url.");
                if (channel.To.Count == 0) error($"{path}.to", "An e-mail channel needs at least one recipient.");
                foreach (var recipient in channel.To.Where(r => !MailAddress.TryCreate(r, out _)))
                    error($"{path}.to", $"'{recipient}' is not an e-mail address.");
                break;
            default:
                error($"{path}.kind", "kind must be webhook, slack or email.");
                break;
        }
    }
}
