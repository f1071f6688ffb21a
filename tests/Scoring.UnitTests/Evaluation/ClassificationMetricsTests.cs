using Vigil.Scoring.Evaluation;

namespace Vigil.Scoring.UnitTests.Evaluation;

public class ClassificationMetricsTests
{
    // The example of scikit-learn's documentation: roc_auc_score = 0.75, average_precision_score = 0.8333...
    private static readonly float[] Scores = [0.1f, 0.4f, 0.35f, 0.8f];
    private static readonly bool[] Labels = [false, false, true, true];

    [Fact]
    public void Roc_auc_matches_the_hand_computed_value()
    {
        Assert.Equal(0.75, ClassificationMetrics.RocAuc(Scores, Labels), 12);
    }

    [Fact]
    public void Roc_auc_counts_a_tie_between_a_positive_and_a_negative_as_one_half()
    {
        Assert.Equal(0.5, ClassificationMetrics.RocAuc([0.5f, 0.5f], [true, false]), 12);
        // Pairs (positive, negative): (0.9, 0.5) win, (0.9, 0.9) tie, (0.5, 0.5) tie, (0.5, 0.9) loss -> (1 + 0.5 + 0.5) / 4.
        Assert.Equal(0.5, ClassificationMetrics.RocAuc([0.9f, 0.5f, 0.5f, 0.9f], [true, true, false, false]), 12);
    }

    [Fact]
    public void Roc_auc_is_one_for_a_perfect_ranking_and_zero_for_a_reversed_one()
    {
        Assert.Equal(1.0, ClassificationMetrics.RocAuc([3f, 2f, 1f], [true, false, false]));
        Assert.Equal(0.0, ClassificationMetrics.RocAuc([1f, 2f, 3f], [true, false, false]));
    }

    [Fact]
    public void Roc_auc_equals_the_share_of_correctly_ordered_pairs_on_random_data_with_ties()
    {
        var (scores, labels) = RandomData(seed: 7, n: 600, distinctScores: 40);

        double wins = 0;
        long pairs = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            if (!labels[i]) continue;
            for (var j = 0; j < scores.Length; j++)
            {
                if (labels[j]) continue;
                pairs++;
                wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
            }
        }

        Assert.Equal(wins / pairs, ClassificationMetrics.RocAuc(scores, labels), 12);
    }

    [Fact]
    public void Average_precision_matches_the_hand_computed_value()
    {
        // Thresholds 0.8 (P 1, R 0.5) and 0.35 (P 2/3, R 1): 0.5 * 1 + 0.5 * 2/3.
        Assert.Equal(0.5 + 0.5 * 2 / 3.0, ClassificationMetrics.PrAuc(Scores, Labels), 12);
    }

    [Fact]
    public void Average_precision_treats_tied_scores_as_one_threshold()
    {
        // Threshold 1 takes both tied rows (P 1/2, R 1/2); threshold 0 the rest (P 2/3, R 1).
        Assert.Equal(0.5 * 0.5 + 0.5 * 2 / 3.0, ClassificationMetrics.PrAuc([1f, 1f, 0f], [true, false, true]), 12);
        Assert.Equal(0.5 * 0.5 + 0.5 * 2 / 3.0, ClassificationMetrics.PrAuc([1f, 1f, 0f], [false, true, true]), 12);
    }

    [Fact]
    public void Average_precision_equals_a_direct_sum_over_thresholds_on_random_data_with_ties()
    {
        var (scores, labels) = RandomData(seed: 8, n: 500, distinctScores: 25);
        var positives = labels.Count(l => l);

        double expected = 0, previousRecall = 0;
        foreach (var threshold in scores.Distinct().OrderDescending())
        {
            var tp = scores.Where((s, i) => s >= threshold && labels[i]).Count();
            var predicted = scores.Count(s => s >= threshold);
            var recall = (double)tp / positives;
            expected += (recall - previousRecall) * tp / predicted;
            previousRecall = recall;
        }

        Assert.Equal(expected, ClassificationMetrics.PrAuc(scores, labels), 12);
    }

    [Fact]
    public void Recall_at_k_is_the_share_of_positives_among_the_top_k()
    {
        float[] scores = [0.9f, 0.8f, 0.7f, 0.6f];
        bool[] labels = [true, false, true, false];

        Assert.Equal(0.5, ClassificationMetrics.RecallAtK(scores, labels, 2));
        Assert.Equal(0.5, ClassificationMetrics.RecallAtK(scores, labels)); // k = 2 positives
        Assert.Equal(1.0, ClassificationMetrics.RecallAtK(scores, labels, 3));
        Assert.Equal(1.0, ClassificationMetrics.RecallAtK(scores, labels, 100));
    }

    [Fact]
    public void Recall_at_k_counts_a_tie_across_the_kth_place_in_proportion()
    {
        // Top 2: the 1.0 positive, then one place for the tied pair (positive, negative): half a positive expected.
        Assert.Equal(0.75, ClassificationMetrics.RecallAtK([1f, 0.5f, 0.5f, 0f], [true, true, false, false], 2), 12);
    }

    [Fact]
    public void Precision_recall_and_f1_at_a_threshold_count_scores_at_the_threshold_as_positive()
    {
        var metrics = ClassificationMetrics.PrecisionRecallF1([0.9f, 0.5f, 0.5f, 0.2f, 0.1f], [true, false, true, true, false], 0.5f);

        Assert.Equal(new ThresholdMetrics(0.5f, 2 / 3.0, 2 / 3.0, 2 / 3.0, 2, 1, 1, 1), metrics);
    }

    [Fact]
    public void Precision_is_zero_when_nothing_reaches_the_threshold()
    {
        var metrics = ClassificationMetrics.PrecisionRecallF1([0.1f, 0.2f], [true, false], 0.9f);

        Assert.Equal((0.0, 0.0, 0.0), (metrics.Precision, metrics.Recall, metrics.F1));
        Assert.Equal(1, metrics.FalseNegatives);
    }

    [Fact]
    public void Best_f1_threshold_is_the_score_with_the_highest_f1()
    {
        // F1 by threshold: 0.9 -> 0.5, 0.8 -> 0.8, 0.7 -> 2/3, 0.6 -> 6/7, 0.5 -> 0.75.
        var best = ClassificationMetrics.BestF1Threshold([0.9f, 0.8f, 0.7f, 0.6f, 0.5f], [true, true, false, true, false]);

        Assert.Equal(0.6f, best.Threshold);
        Assert.Equal(6 / 7.0, best.F1, 12);
        Assert.Equal((3, 1, 0, 1), (best.TruePositives, best.FalsePositives, best.FalseNegatives, best.TrueNegatives));
    }

    [Fact]
    public void Best_f1_threshold_keeps_tied_scores_together_and_prefers_the_higher_threshold_on_equal_f1()
    {
        // 0.9 alone: P 1, R 1/2, F1 2/3. 0.5 takes the tied pair: tp 2, fp 1, F1 0.8. 0.1: tp 2, fp 2, F1 2/3.
        var best = ClassificationMetrics.BestF1Threshold([0.9f, 0.5f, 0.5f, 0.1f], [true, true, false, false]);
        // Thresholds 3 (tp 1, fn 1) and 0 (tp 2, fp 2) both give F1 2/3, the best here; 3 flags fewer rows.
        var equal = ClassificationMetrics.BestF1Threshold([3f, 2f, 1f, 0f], [true, false, false, true]);

        Assert.Equal((0.5f, 0.8), (best.Threshold, Math.Round(best.F1, 12)));
        Assert.Equal((3f, 1), (equal.Threshold, equal.TruePositives));
    }

    [Fact]
    public void Best_f1_threshold_agrees_with_precision_recall_f1_at_that_threshold()
    {
        var (scores, labels) = RandomData(seed: 9, n: 400, distinctScores: 30);

        var best = ClassificationMetrics.BestF1Threshold(scores, labels);

        Assert.Equal(ClassificationMetrics.PrecisionRecallF1(scores, labels, best.Threshold), best);
        foreach (var threshold in scores.Distinct())
            Assert.True(ClassificationMetrics.PrecisionRecallF1(scores, labels, threshold).F1 <= best.F1);
    }

    [Fact]
    public void Metrics_refuse_inputs_they_cannot_judge()
    {
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.RocAuc([0.1f, 0.2f], [true, true]));
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.PrAuc([0.1f, 0.2f], [false, false]));
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.RocAuc([0.1f], [true, false]));
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.RocAuc([float.NaN, 0.2f], [true, false]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassificationMetrics.RecallAtK([0.1f], [true], 0));
    }

    private static (float[] Scores, bool[] Labels) RandomData(int seed, int n, int distinctScores)
    {
        var random = new Random(seed);
        var labels = new bool[n];
        var scores = new float[n];
        for (var i = 0; i < n; i++)
        {
            labels[i] = random.NextDouble() < 0.2;
            // Positives lean higher; few distinct values make many ties.
            scores[i] = random.Next(distinctScores) + (labels[i] ? random.Next(distinctScores / 2) : 0);
        }
        return (scores, labels);
    }
}
