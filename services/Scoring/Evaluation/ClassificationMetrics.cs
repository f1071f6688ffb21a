namespace Vigil.Scoring.Evaluation;

/// <summary>Counts and rates at one decision threshold: a row is predicted anomalous when its score is at least <see cref="Threshold"/>.</summary>
public sealed record ThresholdMetrics(
    float Threshold,
    double Precision,
    double Recall,
    double F1,
    int TruePositives,
    int FalsePositives,
    int FalseNegatives,
    int TrueNegatives);

/// <summary>
/// Exact ranking metrics of anomaly scores (higher = more anomalous) against labels (true = anomaly), in O(n log n).
/// Tied scores are one threshold: no metric depends on the order of rows with equal scores. Precision with no row
/// predicted positive, and F1 with precision and recall both 0, are 0 (as scikit-learn's zero_division=0).
/// </summary>
public static class ClassificationMetrics
{
    /// <summary>
    /// Area under the ROC curve: the probability that a random anomaly scores above a random normal row, ties
    /// counting one half (the Mann-Whitney U statistic over both class sizes). Needs both classes.
    /// </summary>
    public static double RocAuc(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels)
    {
        var (sorted, sortedLabels) = SortAscending(scores, labels);
        var (positives, negatives) = Count(labels);
        RequireBothClasses(positives, negatives, "ROC-AUC");

        // Sum of the (1-based, tie-averaged) ranks of the positives.
        double rankSum = 0;
        for (var start = 0; start < sorted.Length;)
        {
            var end = EndOfTie(sorted, start, step: 1);
            var positivesInTie = 0;
            for (var i = start; i < end; i++) positivesInTie += sortedLabels[i] ? 1 : 0;
            var averageRank = (start + 1 + end) / 2.0; // ranks start+1 .. end
            rankSum += positivesInTie * averageRank;
            start = end;
        }
        var u = rankSum - positives * (positives + 1.0) / 2.0;
        return u / ((double)positives * negatives);
    }

    /// <summary>
    /// Average precision: Σ (R_k - R_{k-1}) P_k over the distinct score thresholds from the highest down, the usual
    /// step-wise area under the precision-recall curve (scikit-learn's average_precision_score). Needs a positive.
    /// </summary>
    public static double PrAuc(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels)
    {
        var (sorted, sortedLabels) = SortAscending(scores, labels);
        var (positives, _) = Count(labels);
        if (positives == 0) throw new ArgumentException("Average precision is undefined without a positive label.", nameof(labels));

        double area = 0;
        long truePositives = 0, predicted = 0;
        for (var end = sorted.Length; end > 0;)
        {
            var start = EndOfTie(sorted, end - 1, step: -1) + 1;
            var newPositives = 0;
            for (var i = start; i < end; i++) newPositives += sortedLabels[i] ? 1 : 0;
            truePositives += newPositives;
            predicted += end - start;
            if (newPositives > 0) area += (double)newPositives / positives * ((double)truePositives / predicted);
            end = start;
        }
        return area;
    }

    /// <summary>
    /// Share of all positives found among the <paramref name="k"/> highest scores (k defaults to the number of
    /// positives, where recall@k equals precision@k). When the k-th place falls inside a tie, the tied rows count
    /// in proportion to the places left (the expectation over the tie's orders). Needs a positive.
    /// </summary>
    public static double RecallAtK(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels, int? k = null)
    {
        var (sorted, sortedLabels) = SortAscending(scores, labels);
        var (positives, _) = Count(labels);
        if (positives == 0) throw new ArgumentException("Recall@k is undefined without a positive label.", nameof(labels));
        var places = k ?? positives;
        if (places < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k is at least 1.");
        places = Math.Min(places, sorted.Length);

        double found = 0;
        var taken = 0;
        for (var end = sorted.Length; end > 0 && taken < places;)
        {
            var start = EndOfTie(sorted, end - 1, step: -1) + 1;
            var size = end - start;
            var positivesInTie = 0;
            for (var i = start; i < end; i++) positivesInTie += sortedLabels[i] ? 1 : 0;
            var take = Math.Min(size, places - taken);
            found += positivesInTie * (double)take / size;
            taken += take;
            end = start;
        }
        return found / positives;
    }

    /// <summary>Precision, recall and F1 when rows scoring at least <paramref name="threshold"/> are predicted anomalous.</summary>
    public static ThresholdMetrics PrecisionRecallF1(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels, float threshold)
    {
        CheckInputs(scores, labels);
        int tp = 0, fp = 0, fn = 0, tn = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var predicted = scores[i] >= threshold;
            if (labels[i]) { if (predicted) tp++; else fn++; }
            else if (predicted) fp++;
            else tn++;
        }
        return Metrics(threshold, tp, fp, fn, tn);
    }

    /// <summary>
    /// The threshold (one of the scores) with the highest F1, and its metrics; among equal F1 the highest threshold,
    /// which flags the fewest rows. Needs a positive.
    /// </summary>
    public static ThresholdMetrics BestF1Threshold(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels) => BestFBetaThreshold(scores, labels, beta: 1);

    /// <summary>
    /// The threshold (one of the scores) with the highest F-beta (beta &lt; 1 weighs precision more, &gt; 1 recall), and
    /// its metrics; among equal F-beta the highest threshold. Needs a positive.
    /// </summary>
    public static ThresholdMetrics BestFBetaThreshold(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels, double beta)
    {
        if (!(beta > 0) || !double.IsFinite(beta)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "beta must be positive and finite.");
        var beta2 = beta * beta;
        var (sorted, sortedLabels) = SortAscending(scores, labels);
        var (positives, negatives) = Count(labels);
        if (positives == 0) throw new ArgumentException("The best F1 is undefined without a positive label.", nameof(labels));

        ThresholdMetrics? best = null;
        var bestScore = 0.0;
        int tp = 0, fp = 0;
        for (var end = sorted.Length; end > 0;)
        {
            var start = EndOfTie(sorted, end - 1, step: -1) + 1;
            for (var i = start; i < end; i++)
            {
                if (sortedLabels[i]) tp++;
                else fp++;
            }
            var candidate = Metrics(sorted[start], tp, fp, positives - tp, negatives - fp);
            var score = FBeta(tp, fp, positives - tp, beta2);
            if (best is null || score > bestScore)
            {
                best = candidate;
                bestScore = score;
            }
            end = start;
        }
        return best!;
    }

    private static double FBeta(int tp, int fp, int fn, double beta2) => tp == 0 ? 0 : (1 + beta2) * tp / ((1 + beta2) * tp + beta2 * fn + fp);

    private static ThresholdMetrics Metrics(float threshold, int tp, int fp, int fn, int tn)
    {
        var precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
        var recall = tp + fn == 0 ? 0 : (double)tp / (tp + fn);
        var f1 = tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
        return new ThresholdMetrics(threshold, precision, recall, f1, tp, fp, fn, tn);
    }

    /// <summary>Index just past the run of scores equal to sorted[start], walking in direction <paramref name="step"/>.</summary>
    private static int EndOfTie(float[] sorted, int start, int step)
    {
        var i = start;
        while (i >= 0 && i < sorted.Length && sorted[i] == sorted[start]) i += step;
        return i;
    }

    private static (float[] Scores, bool[] Labels) SortAscending(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels)
    {
        CheckInputs(scores, labels);
        var sorted = scores.ToArray();
        var sortedLabels = labels.ToArray();
        Array.Sort(sorted, sortedLabels);
        return (sorted, sortedLabels);
    }

    private static void CheckInputs(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels)
    {
        if (scores.Length != labels.Length)
            throw new ArgumentException($"There are {scores.Length} scores but {labels.Length} labels.", nameof(labels));
        if (scores.IsEmpty) throw new ArgumentException("There are no scores to evaluate.", nameof(scores));
        for (var i = 0; i < scores.Length; i++)
        {
            if (float.IsNaN(scores[i])) throw new ArgumentException($"Score {i} is NaN.", nameof(scores));
        }
    }

    private static (int Positives, int Negatives) Count(ReadOnlySpan<bool> labels)
    {
        var positives = labels.Count(true);
        return (positives, labels.Length - positives);
    }

    private static void RequireBothClasses(int positives, int negatives, string metric)
    {
        if (positives == 0 || negatives == 0)
            throw new ArgumentException($"{metric} is undefined unless there are both positive and negative labels ({positives} positive, {negatives} negative).", "labels");
    }
}
