using Vigil.Alerting.Policies;
using static Vigil.Alerting.UnitTests.Runs;

namespace Vigil.Alerting.UnitTests.Policies;

public sealed class AlertMessageTests
{
    [Fact]
    public void Throttled_conditions_move_out_of_the_message_but_still_count_for_severity()
    {
        var alert = Alert(throttled: new HashSet<string> { "dq_score_below:80" });

        Assert.Equal([ConditionKinds.BlockDecision], alert.Conditions.Select(c => c.Kind));
        Assert.Equal([ConditionKinds.DqScoreBelow], alert.SuppressedConditions.Select(c => c.Kind));
        Assert.Equal(Severity.Critical, alert.Severity);
        Assert.False(alert.IsSuppressed);
        Assert.Equal(AlertTriggers.Outcome, alert.Trigger);
    }

    [Fact]
    public void An_alert_whose_conditions_are_all_throttled_is_suppressed()
    {
        var alert = Alert(throttled: new HashSet<string> { "dq_score_below:80", ConditionKinds.BlockDecision });

        Assert.True(alert.IsSuppressed);
        Assert.Empty(alert.Conditions);
        Assert.Equal(2, alert.SuppressedConditions.Count);
    }

    [Fact]
    public void Suppressed_counts_of_the_reported_conditions_add_up()
    {
        Assert.Equal(6, Alert(suppressedSinceLast: 3).SuppressedSinceLast);
        Assert.Equal(0, Alert().SuppressedSinceLast);
    }

    [Fact]
    public void A_stuck_run_raises_a_stuck_alert()
    {
        var started = DateTimeOffset.UnixEpoch;
        var run = RunFacts.Stuck(RunId, Dataset, ExecutionDate, started, started.AddHours(1));

        Assert.Equal(AlertTriggers.Stuck, AlertMessage.Compose(Guid.NewGuid(), Guid.NewGuid(), "p", run, [], new HashSet<string>(), "http://x", started).Trigger);
    }
}
