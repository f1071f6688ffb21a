namespace Vigil.Scoring.Detectors.Statistical;

/// <summary>One rule that fired on one row of the batch, with the reason in words.</summary>
public sealed record EntityRuleHit(int Row, string Rule, string Detail);

/// <summary>
/// The entity rules' verdict on a batch: per row whether any rule fired and a rule score in [0, 1], and every hit in
/// row order (rules in the order amount_multiple, velocity, first_seen_high_amount).
/// </summary>
public sealed record EntityRuleResult(bool[] Flags, float[] Scores, IReadOnlyList<EntityRuleHit> Hits)
{
    public int FlaggedRows => Flags.AsSpan().Count(true);
}

/// <summary>What training said about one entity.</summary>
public sealed record EntityProfile(long Records, long AmountRecords, double MeanAbsoluteAmount);
