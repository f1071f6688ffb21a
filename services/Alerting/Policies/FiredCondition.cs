namespace Vigil.Alerting.Policies;

/// <summary>
/// A condition that held for a run, with a sentence saying why. <see cref="SuppressedSinceLast"/> counts the times the
/// same condition held on the same dataset and policy while throttled since it last alerted (for a suppressed
/// condition: how many have been suppressed in the current window, this one included).
/// </summary>
public sealed record FiredCondition(string Kind, string Key, Severity Severity, string Detail)
{
    public int SuppressedSinceLast { get; init; }
}
