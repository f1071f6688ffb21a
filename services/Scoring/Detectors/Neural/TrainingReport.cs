namespace Vigil.Scoring.Detectors.Neural;

/// <summary>
/// How training went. Losses are mean squared reconstruction errors per feature value, in standardised units; the
/// training loss of an epoch is measured on its batches as they were trained (before each step), without the L2 term.
/// </summary>
public sealed record TrainingReport
{
    /// <summary>Epochs run (early stopping included); the kept weights are those of the best validation epoch.</summary>
    public required int Epochs { get; init; }

    /// <summary>The epoch (1-based) whose weights were kept.</summary>
    public required int BestEpoch { get; init; }

    public required double BestValidationLoss { get; init; }

    public required IReadOnlyList<double> TrainLoss { get; init; }

    public required IReadOnlyList<double> ValidationLoss { get; init; }

    public required int TrainingRows { get; init; }

    public required int ValidationRows { get; init; }

    public required TimeSpan Elapsed { get; init; }
}
