using Vigil.Alerting.Channels;
using Vigil.Alerting.Policies;

namespace Vigil.Alerting.UnitTests.Policies;

public sealed class AlertResolutionMessageTests
{
    private static readonly DateOnly ExecutionDate = new(2026, 11, 20);

    [Fact]
    public void A_resolution_names_what_it_resolves_is_as_severe_as_the_worst_of_it_and_is_never_suppressed()
    {
        var runId = Guid.NewGuid();
        var failed = new ResolvedAlert(Guid.NewGuid(), AlertTriggers.Outcome, Severity.Critical);
        var stuck = new ResolvedAlert(Guid.NewGuid(), AlertTriggers.Stuck, Severity.Warning);

        var resolution = AlertMessage.Resolution(Guid.NewGuid(), Guid.NewGuid(), "oncall",
            RunFacts.CompletedLater(runId, "banking.transactions", ExecutionDate), [failed, stuck], "http://127.0.0.1:5080", DateTimeOffset.UnixEpoch);

        Assert.Equal(AlertTriggers.Resolved, resolution.Trigger);
        Assert.Equal(Severity.Critical, resolution.Severity);
        Assert.Equal([failed.AlertId, stuck.AlertId], resolution.Resolves);
        Assert.False(resolution.IsSuppressed);
        Assert.Equal("completed", resolution.Run.Status);
        Assert.Contains("failed and stuck", Assert.Single(resolution.Conditions).Detail, StringComparison.Ordinal);
        Assert.StartsWith("[RESOLVED] banking.transactions 2026-11-20: Run ", AlertText.Title(resolution), StringComparison.Ordinal);
    }
}
