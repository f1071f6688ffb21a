namespace Vigil.Scoring.Detectors.Neural;

/// <summary>How <see cref="Autoencoder.Fit"/> shapes and trains the network.</summary>
public sealed record AutoencoderOptions
{
    /// <summary>Widths of the hidden layers, encoder - bottleneck - decoder (ReLU each); input and output have one unit per feature.</summary>
    public int[] HiddenLayers { get; init; } = [16, 8, 16];

    /// <summary>
    /// Whether <see cref="Fit"/>ting widens <see cref="HiddenLayers"/> with the feature count: each width is multiplied by
    /// features / <see cref="SizedForFeatures"/>, between 1 and <see cref="MostWidening"/>. A fixed bottleneck squeezes
    /// a wide input far harder than a narrow one (8 units for 64 features against 8 for 10), until every record
    /// reconstructs badly and the error says more about the squeeze than about the record. The cap bounds the scoring cost;
    /// <see cref="RowsPerEpoch"/> is divided by the same factor, so that an epoch costs about what it cost unwidened
    /// (the per-row cost grows about linearly with the widths). The stored options hold what was used (and false here).
    /// </summary>
    public bool WidenWithFeatures { get; init; }

    /// <summary>The feature count the default widths suit; fewer features keep them.</summary>
    public const int SizedForFeatures = 16;

    /// <summary>The largest factor by which <see cref="WidenWithFeatures"/> widens the layers.</summary>
    public const double MostWidening = 2;

    /// <summary>The options to train with on <paramref name="features"/> input features, as <see cref="WidenWithFeatures"/> says.</summary>
    public AutoencoderOptions ForFeatures(int features)
    {
        if (!WidenWithFeatures) return this with { HiddenLayers = [.. HiddenLayers] };
        var factor = Math.Clamp((double)features / SizedForFeatures, 1, MostWidening);
        return this with
        {
            HiddenLayers = [.. HiddenLayers.Select(w => Math.Max(1, (int)Math.Round(w * factor)))],
            RowsPerEpoch = RowsPerEpoch is { } rows ? Math.Max(1, (int)(rows / factor)) : null,
            WidenWithFeatures = false,
        };
    }

    /// <summary>Adam's step size.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Rows per gradient step (the last batch of an epoch may be smaller).</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Most epochs to train; early stopping usually ends sooner.</summary>
    public int MaxEpochs { get; init; } = 50;

    /// <summary>Share of the rows (drawn at random from the seed) held out to decide early stopping; in (0, 1).</summary>
    public double ValidationSplit { get; init; } = 0.1;

    /// <summary>Epochs without a lower validation loss after which training stops (the best epoch's weights are kept).</summary>
    public int Patience { get; init; } = 5;

    /// <summary>Seed of the validation split, the He initialisation and the per-epoch shuffles.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// Rows one epoch trains on, a slice of a shuffled pass over the training rows (successive epochs take successive
    /// slices, reshuffling at the end of each pass); null or more than the training rows means a full pass. Caps the
    /// time per epoch on large batches: a 1.5k-weight network has converged long before it has seen 500k rows once.
    /// </summary>
    public int? RowsPerEpoch { get; init; } = 131_072;

    /// <summary>L2 penalty on the weights (not the biases), added to the gradient as L2 x w; 0 turns it off.</summary>
    public double L2 { get; init; }

    internal void Validate()
    {
        if (HiddenLayers is null || HiddenLayers.Length == 0)
            throw new ArgumentException("An autoencoder needs at least one hidden layer.", nameof(HiddenLayers));
        for (var i = 0; i < HiddenLayers.Length; i++)
            if (HiddenLayers[i] < 1)
                throw new ArgumentOutOfRangeException(nameof(HiddenLayers), HiddenLayers[i], $"Hidden layer {i} must have at least 1 unit.");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be a positive number.");
        if (BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be at least 1.");
        if (MaxEpochs < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxEpochs), MaxEpochs, "Training needs at least 1 epoch.");
        if (!(ValidationSplit > 0 && ValidationSplit < 1))
            throw new ArgumentOutOfRangeException(nameof(ValidationSplit), ValidationSplit, "The validation split must be between 0 and 1 (exclusive): early stopping needs held-out rows.");
        if (Patience < 1)
            throw new ArgumentOutOfRangeException(nameof(Patience), Patience, "Patience must be at least 1 epoch.");
        if (RowsPerEpoch is < 1)
            throw new ArgumentOutOfRangeException(nameof(RowsPerEpoch), RowsPerEpoch, "Rows per epoch must be at least 1 (or null for full passes).");
        if (!(L2 >= 0) || !double.IsFinite(L2))
            throw new ArgumentOutOfRangeException(nameof(L2), L2, "The L2 penalty must be 0 or a positive number.");
    }
}
