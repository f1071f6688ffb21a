using Vigil.Scoring.Lifecycle;

namespace Vigil.Scoring.UnitTests.Lifecycle;

public sealed class PromotionPolicyTests
{
    private static readonly LifecyclePolicy Policy = new() { AutoPromote = true, MinShadowBatches = 2, FalseAlarmBudget = 0.02 };

    private static ShadowBatch Batch(long rows, long flagged, FeedbackCounts? candidate = null, FeedbackCounts? active = null) =>
        new(Guid.NewGuid(), rows, flagged, candidate ?? FeedbackCounts.None, active ?? FeedbackCounts.None);

    [Fact]
    public void A_version_with_fewer_shadow_batches_than_the_policy_asks_for_stays_in_testing_saying_how_many()
    {
        var verdict = PromotionPolicy.Evaluate(Policy, [Batch(1000, 0)]);

        Assert.False(verdict.Promote);
        Assert.Equal("1 of 2 shadow-scored batches so far", verdict.Reason);
    }

    [Fact]
    public void A_version_within_the_false_alarm_budget_without_feedback_is_promoted()
    {
        var verdict = PromotionPolicy.Evaluate(Policy, [Batch(1000, 15), Batch(1000, 25)]);

        Assert.True(verdict.Promote);
        Assert.Contains("2% of 2000 rows flagged", verdict.Reason);
        Assert.Contains("no feedback labels", verdict.Reason);
    }

    [Fact]
    public void The_false_alarm_budget_is_on_all_shadow_rows_together_and_refuses_a_share_just_above_it()
    {
        var verdict = PromotionPolicy.Evaluate(Policy, [Batch(1000, 15), Batch(1000, 26)]);

        Assert.False(verdict.Promote);
        Assert.Contains("flags 2.05% of 2000 shadow-scored rows (41 not confirmed as anomalies), above the false-alarm budget of 2%", verdict.Reason);
    }

    [Fact]
    public void Records_confirmed_as_anomalies_do_not_count_against_the_budget()
    {
        var confirmed = new FeedbackCounts(Confirmed: 10, FalseAlarms: 0, Missed: 0);

        var verdict = PromotionPolicy.Evaluate(Policy, [Batch(1000, 15), Batch(1000, 35, candidate: confirmed, active: confirmed)]);

        Assert.True(verdict.Promote, verdict.Reason);
    }

    [Fact]
    public void Lower_precision_than_the_active_version_on_feedback_labels_keeps_the_version_in_testing()
    {
        var candidate = new FeedbackCounts(Confirmed: 4, FalseAlarms: 4, Missed: 1);
        var active = new FeedbackCounts(Confirmed: 4, FalseAlarms: 1, Missed: 1);

        var verdict = PromotionPolicy.Evaluate(Policy, [Batch(1000, 10), Batch(1000, 10, candidate, active)]);

        Assert.False(verdict.Promote);
        Assert.Equal("precision on feedback labels 0.5 is below the active version's 0.8 (tolerance 0)", verdict.Reason);
    }

    [Fact]
    public void Lower_recall_than_the_active_version_keeps_the_version_in_testing_unless_within_the_tolerance()
    {
        var candidate = new FeedbackCounts(Confirmed: 3, FalseAlarms: 0, Missed: 1);
        var active = new FeedbackCounts(Confirmed: 4, FalseAlarms: 0, Missed: 0);
        ShadowBatch[] batches = [Batch(1000, 10), Batch(1000, 10, candidate, active)];

        var strict = PromotionPolicy.Evaluate(Policy, batches);
        var tolerant = PromotionPolicy.Evaluate(Policy with { MetricTolerance = 0.25 }, batches);

        Assert.False(strict.Promote);
        Assert.StartsWith("recall on feedback labels 0.75 is below the active version's 1", strict.Reason);
        Assert.True(tolerant.Promote, tolerant.Reason);
        Assert.Contains("recall 0.75 (active 1)", tolerant.Reason);
    }

    [Fact]
    public void A_version_that_flags_no_labelled_record_where_the_active_one_confirmed_some_is_not_promoted()
    {
        var candidate = new FeedbackCounts(Confirmed: 0, FalseAlarms: 0, Missed: 3);
        var active = new FeedbackCounts(Confirmed: 3, FalseAlarms: 0, Missed: 0);

        var verdict = PromotionPolicy.Evaluate(Policy, [Batch(1000, 0), Batch(1000, 0, candidate, active)]);

        Assert.False(verdict.Promote);
        Assert.StartsWith("precision on feedback labels 0 is below", verdict.Reason);
    }

    [Fact]
    public void Feedback_counts_give_precision_and_recall_only_where_they_are_defined()
    {
        var counts = new FeedbackCounts(Confirmed: 3, FalseAlarms: 1, Missed: 2);

        Assert.Equal(0.75, counts.Precision);
        Assert.Equal(0.6, counts.Recall);
        Assert.Null(new FeedbackCounts(0, 0, 2).Precision);
        Assert.Null(new FeedbackCounts(0, 5, 0).Recall);
        Assert.Equal(new FeedbackCounts(4, 2, 2), counts + new FeedbackCounts(1, 1, 0));
    }
}
