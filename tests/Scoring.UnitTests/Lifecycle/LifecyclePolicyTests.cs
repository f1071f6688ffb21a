using System.Text.Json;
using Vigil.Scoring.Lifecycle;

namespace Vigil.Scoring.UnitTests.Lifecycle;

public sealed class LifecyclePolicyTests
{
    [Fact]
    public void The_default_policy_is_valid_and_takes_no_automatic_step()
    {
        var policy = new LifecyclePolicy();

        Assert.Empty(policy.Problems());
        Assert.False(policy.AutoPromote);
        Assert.False(policy.DriftRetrain);
    }

    [Fact]
    public void Out_of_range_values_are_each_named_with_the_value_given()
    {
        var policy = new LifecyclePolicy
        {
            MinShadowBatches = 0,
            FalseAlarmBudget = 0,
            MetricTolerance = -0.1,
            PsiThreshold = 0,
            RetrainDays = 400,
            MinHoursBetweenRetrains = 0,
        };

        var problems = policy.Problems();

        Assert.Equal(["falseAlarmBudget", "metricTolerance", "minHoursBetweenRetrains", "minShadowBatches", "psiThreshold", "retrainDays"], problems.Keys.Order());
        Assert.Equal("must be between 1 and 366; got 400.", Assert.Single(problems["retrainDays"]));
    }

    [Fact]
    public void A_policy_round_trips_through_json_as_the_api_and_store_write_it()
    {
        var policy = new LifecyclePolicy { AutoPromote = true, MinShadowBatches = 2, DriftRetrain = true, PsiThreshold = 0.4, MinHoursBetweenRetrains = 1.5 };

        var json = JsonSerializer.Serialize(policy, JsonSerializerOptions.Web);

        Assert.Contains("\"psiThreshold\":0.4", json);
        Assert.Equal(policy, JsonSerializer.Deserialize<LifecyclePolicy>(json, JsonSerializerOptions.Web));
    }
}
