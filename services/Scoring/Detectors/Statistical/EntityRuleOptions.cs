namespace Vigil.Scoring.Detectors.Statistical;

/// <summary>Columns and limits of the per-entity rules (a dataset with an entity column: account, customer, policy).</summary>
public sealed record EntityRuleOptions
{
    /// <summary>The entity a record belongs to (any type; compared by its text).</summary>
    public required string EntityColumn { get; init; }

    /// <summary>The record's amount (integer or decimal); rules compare magnitudes, so debits and credits count alike.</summary>
    public required string AmountColumn { get; init; }

    /// <summary>When set, velocity counts records within <see cref="Window"/>; without it, the batch is the window.</summary>
    public string? TimestampColumn { get; init; }

    /// <summary>An amount above this multiple of the entity's training average amount fires "amount_multiple".</summary>
    public double AmountMultiple { get; init; } = 10;

    /// <summary>More records than this for one entity within <see cref="Window"/> fires "velocity".</summary>
    public int MaxRecordsPerWindow { get; init; } = 20;

    public TimeSpan Window { get; init; } = TimeSpan.FromHours(1);

    /// <summary>An entity unseen in training with an amount above this quantile of training amounts fires "first_seen_high_amount".</summary>
    public double FirstSeenAmountQuantile { get; init; } = 0.99;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(EntityColumn);
        ArgumentException.ThrowIfNullOrWhiteSpace(AmountColumn);
        if (TimestampColumn is not null) ArgumentException.ThrowIfNullOrWhiteSpace(TimestampColumn);
        if (!(AmountMultiple > 0) || !double.IsFinite(AmountMultiple))
            throw new ArgumentOutOfRangeException(nameof(AmountMultiple), AmountMultiple, "A positive multiple.");
        if (MaxRecordsPerWindow < 1) throw new ArgumentOutOfRangeException(nameof(MaxRecordsPerWindow), MaxRecordsPerWindow, "At least 1.");
        if (Window <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Window), Window, "A positive window.");
        if (!(FirstSeenAmountQuantile is > 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(FirstSeenAmountQuantile), FirstSeenAmountQuantile, "A quantile in (0, 1].");
    }
}
