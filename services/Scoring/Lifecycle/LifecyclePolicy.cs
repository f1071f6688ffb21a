namespace Vigil.Scoring.Lifecycle;

/// <summary>
/// A dataset's retraining loop: whether versions under test are promoted automatically and on what evidence, and
/// whether feature drift retrains. Both are off until a dataset turns them on (<c>PUT .../models/policy</c>).
/// </summary>
public sealed record LifecyclePolicy
{
    /// <summary>Promote a version under test once <see cref="PromotionPolicy"/> holds on its shadow results.</summary>
    public bool AutoPromote { get; init; }

    /// <summary>Shadow-scored batches a version under test needs before it can be promoted.</summary>
    public int MinShadowBatches { get; init; } = 3;

    /// <summary>Largest share (0-1] of its shadow-scored rows a version may flag (review or block), feedback-confirmed anomalies excepted.</summary>
    public double FalseAlarmBudget { get; init; } = 0.02;

    /// <summary>How much lower than the active version's its precision and recall on feedback labels may be (0-1).</summary>
    public double MetricTolerance { get; init; }

    /// <summary>Retrain when a batch's feature drift against the active model's training reference exceeds <see cref="PsiThreshold"/>.</summary>
    public bool DriftRetrain { get; init; }

    /// <summary>Population stability index above which a feature counts as drifted (0.1 small, 0.25 large by the usual reading).</summary>
    public double PsiThreshold { get; init; } = 0.25;

    /// <summary>A drift retraining trains on the validated runs of the last this many days (at most the newest 20 runs).</summary>
    public int RetrainDays { get; init; } = 30;

    /// <summary>At most one drift retraining per this many hours.</summary>
    public double MinHoursBetweenRetrains { get; init; } = 24;

    public const int MaxShadowBatches = 1000;
    public const int MaxRetrainDays = 366;
    public const double MaxHoursBetweenRetrains = 24 * 366;

    /// <summary>What is wrong with the policy, by property (camel case), or nothing.</summary>
    public IReadOnlyDictionary<string, string[]> Problems()
    {
        var problems = new Dictionary<string, string[]>();
        void Check(bool ok, string name, string message)
        {
            if (!ok) problems[name] = [message];
        }
        Check(MinShadowBatches is >= 1 and <= MaxShadowBatches, "minShadowBatches", $"must be between 1 and {MaxShadowBatches}; got {MinShadowBatches}.");
        Check(FalseAlarmBudget is > 0 and <= 1, "falseAlarmBudget", $"must be a share in (0, 1]; got {FalseAlarmBudget}.");
        Check(MetricTolerance is >= 0 and <= 1, "metricTolerance", $"must be a share in [0, 1]; got {MetricTolerance}.");
        Check(PsiThreshold is > 0 and <= 100, "psiThreshold", $"must be above 0 and at most 100; got {PsiThreshold}.");
        Check(RetrainDays is >= 1 and <= MaxRetrainDays, "retrainDays", $"must be between 1 and {MaxRetrainDays}; got {RetrainDays}.");
        Check(MinHoursBetweenRetrains is > 0 and <= MaxHoursBetweenRetrains, "minHoursBetweenRetrains",
            $"must be above 0 and at most {MaxHoursBetweenRetrains}; got {MinHoursBetweenRetrains}.");
        return problems;
    }
}
