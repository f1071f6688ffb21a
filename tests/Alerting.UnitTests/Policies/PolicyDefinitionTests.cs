using Vigil.Alerting.Policies;
using static Vigil.Alerting.UnitTests.Runs;

namespace Vigil.Alerting.UnitTests.Policies;

public sealed class PolicyDefinitionTests
{
    [Fact]
    public void A_policy_with_every_condition_kind_and_channel_kind_is_valid()
    {
        var policy = Policy(
            Condition(ConditionKinds.DqScoreBelow, 90),
            Condition(ConditionKinds.RulesFailed),
            Condition(ConditionKinds.BreakingDrift),
            Condition(ConditionKinds.AnomalyRateAbove, 0.05),
            Condition(ConditionKinds.BlockDecision, severity: Severity.Critical),
            Condition(ConditionKinds.FeatureDriftAbove, 0.25),
            Condition(ConditionKinds.RunFailed),
            Condition(ConditionKinds.RunNotCompletedWithin, within: TimeSpan.FromMinutes(30))) with
        {
            Channels =
            [
                new ChannelDefinition { Kind = ChannelKind.Webhook, Url = "https://hooks.example.com/a" },
                new ChannelDefinition { Kind = ChannelKind.Slack, Url = "https://hooks.slack.com/services/T/B/x" },
                new ChannelDefinition { Kind = ChannelKind.Email, To = ["oncall@example.com", "Data Team <data@example.com>"] },
            ],
            ThrottleWindow = TimeSpan.FromMinutes(10),
        };

        Assert.Empty(policy.Validate());
    }

    [Fact]
    public void Each_problem_is_reported_under_the_path_of_its_field()
    {
        var policy = new PolicyDefinition
        {
            Dataset = "Banking Transactions",
            Name = "",
            Conditions =
            [
                Condition("dq_below", 80),
                Condition(ConditionKinds.DqScoreBelow),
                Condition(ConditionKinds.AnomalyRateAbove, 5),
                Condition(ConditionKinds.BlockDecision, 1),
                Condition(ConditionKinds.RunNotCompletedWithin),
                Condition(ConditionKinds.RulesFailed, 1.5),
            ],
            Channels =
            [
                new ChannelDefinition { Kind = ChannelKind.Webhook, Url = "/relative" },
                new ChannelDefinition { Kind = ChannelKind.Slack, Url = "ftp://example.com/x" },
                new ChannelDefinition { Kind = ChannelKind.Email, To = ["not an address"] },
                new ChannelDefinition { Kind = ChannelKind.Email },
            ],
            ThrottleWindow = TimeSpan.FromDays(8),
        };

        var errors = policy.Validate();

        Assert.Equal(
            ["channels", "channels[0].url", "channels[1].url", "channels[2].to", "channels[3].to", "conditions[0].kind", "conditions[1].threshold",
             "conditions[2].threshold", "conditions[3].threshold", "conditions[4].within", "conditions[5].threshold", "dataset", "name", "throttleWindow"],
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("'email' is used 2 times", Assert.Single(errors["channels"]));
        Assert.Contains("dq_score_below", errors["conditions[0].kind"][0]);
        Assert.Contains("'not an address'", errors["channels[2].to"][0]);
    }

    [Fact]
    public void A_policy_needs_a_condition_and_a_channel()
    {
        var errors = new PolicyDefinition { Dataset = Dataset, Name = "empty" }.Validate();

        Assert.Equal(["channels", "conditions"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_same_condition_twice_and_two_stuck_limits_are_refused_but_two_thresholds_of_one_kind_are_not()
    {
        var twice = Policy(Condition(ConditionKinds.DqScoreBelow, 80), Condition(ConditionKinds.DqScoreBelow, 80));
        var twoStuck = Policy(Condition(ConditionKinds.RunNotCompletedWithin, within: TimeSpan.FromMinutes(5)),
            Condition(ConditionKinds.RunNotCompletedWithin, within: TimeSpan.FromMinutes(50)));
        var tiers = Policy(Condition(ConditionKinds.DqScoreBelow, 90), Condition(ConditionKinds.DqScoreBelow, 70, severity: Severity.Critical));

        Assert.Contains("'dq_score_below:80' is listed more than once", Assert.Single(twice.Validate()["conditions"]));
        Assert.Contains("at most one 'run_not_completed_within'", Assert.Single(twoStuck.Validate()["conditions"]));
        Assert.Empty(tiers.Validate());
    }

    [Fact]
    public void Channel_names_default_to_their_kind_and_must_be_unique()
    {
        var named = Policy(Condition(ConditionKinds.RunFailed)) with
        {
            Channels =
            [
                new ChannelDefinition { Name = "ops", Kind = ChannelKind.Webhook, Url = "https://a.example.com" },
                new ChannelDefinition { Kind = ChannelKind.Webhook, Url = "https://b.example.com" },
            ],
        };

        Assert.Equal(["ops", "webhook"], named.Channels.Select(c => c.EffectiveName));
        Assert.Empty(named.Validate());
    }
}
