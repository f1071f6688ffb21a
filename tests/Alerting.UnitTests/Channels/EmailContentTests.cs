using Vigil.Alerting.Channels;
using Vigil.Alerting.Policies;
using static Vigil.Alerting.UnitTests.Runs;

namespace Vigil.Alerting.UnitTests.Channels;

public sealed class EmailContentTests
{
    [Fact]
    public void Email_subject_is_the_title_and_the_body_carries_the_whole_run_summary()
    {
        var email = EmailContent.Render(Alert(suppressedSinceLast: 2));

        Assert.Equal("[CRITICAL] banking.transactions 2026-11-20: DQ score 71.234 is below 80. (+1 more)", email.Subject);
        var lines = email.Body.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains("  - [critical] DQ score 71.234 is below 80.", lines);
        Assert.Contains("    2 similar alerts were suppressed since the last one.", lines);
        Assert.Contains("  Dataset:        banking.transactions", lines);
        Assert.Contains("  Execution date: 2026-11-20", lines);
        Assert.Contains("  DQ score:       71.23", lines);
        Assert.Contains("  Decisions:      approve 960, review 37, block 3", lines);
        Assert.Contains($"  Scored on:      {Gpu}", lines);
        Assert.Contains("  1. transaction_id=t-0042: risk 97.3, block, top features: amount, amount_vs_entity_mean", lines);
        Assert.Contains("  amount: 0.41", lines);
        Assert.Contains($"  defects: https://vigil.example.com/api/runs/{RunId}/reports/defects", lines);
    }

    [Fact]
    public void Email_of_a_failed_run_says_where_it_failed_and_lists_throttled_conditions_apart()
    {
        var run = RunFacts.FromFailed(Failed(reason: "Breaking schema drift under policy 'block': column 'currency' is missing"), ExecutionDate);
        var fired = PolicyEvaluator.Evaluate(Policy(Condition(ConditionKinds.RunFailed, severity: Severity.Critical), Condition(ConditionKinds.BreakingDrift)), run);
        var alert = AlertMessage.Compose(Guid.NewGuid(), Guid.NewGuid(), "oncall", run, fired, new HashSet<string> { ConditionKinds.BreakingDrift },
            "http://127.0.0.1:5080", DateTimeOffset.UnixEpoch);

        var email = EmailContent.Render(alert);

        Assert.Contains("  Failed in:      validate: Breaking schema drift under policy 'block': column 'currency' is missing", email.Body);
        Assert.Contains("  - (throttled) Breaking schema drift blocked the run:", email.Body);
        Assert.Contains($"  Scored on:      {RunSummary.NotScored}", email.Body);
        Assert.DoesNotContain("Top anomalies", email.Body);
    }
}
