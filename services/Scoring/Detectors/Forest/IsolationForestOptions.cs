namespace Vigil.Scoring.Detectors.Forest;

/// <summary>How <see cref="IsolationForest.Fit"/> grows the forest (Liu, Ting and Zhou, 2008).</summary>
public sealed record IsolationForestOptions
{
    /// <summary>Number of isolation trees; scores average their path lengths.</summary>
    public int Trees { get; init; } = 200;

    /// <summary>Rows drawn (without replacement) to grow each tree; capped at the training rows. At least 2.</summary>
    public int SubsampleSize { get; init; } = 256;

    /// <summary>Seed of the whole forest: each tree draws from its own stream derived from (seed, tree index).</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Depth at which a node becomes a leaf; null means ceil(log2(subsample size)), the paper's height limit.</summary>
    public int? MaxDepth { get; init; }

    internal void Validate()
    {
        if (Trees < 1)
            throw new ArgumentOutOfRangeException(nameof(Trees), Trees, "An isolation forest needs at least 1 tree.");
        if (SubsampleSize < 2)
            throw new ArgumentOutOfRangeException(nameof(SubsampleSize), SubsampleSize, "The subsample size must be at least 2 rows.");
        if (MaxDepth is < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxDepth), MaxDepth, "The maximum depth must be at least 1 (or null for ceil(log2(subsample size))).");
    }
}
