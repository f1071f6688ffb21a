namespace Vigil.Validation.Schema;

/// <summary>Thresholds of <see cref="DriftDetector"/>.</summary>
public sealed record DriftOptions
{
    public static readonly DriftOptions Default = new();

    /// <summary>A column that had no nulls may now have up to this share of nulls before it counts as breaking.</summary>
    public double NullRateTolerance { get; init; } = 0.0;

    /// <summary>A numeric mean moving by more than this many accepted standard deviations is a profile shift.</summary>
    public double MeanShiftStdDevs { get; init; } = 3;

    /// <summary>A population stability index over the accepted quantile bins above this is a profile shift.</summary>
    public double PsiThreshold { get; init; } = 0.25;

    /// <summary>A null rate changing by more than this (absolute) is a profile shift.</summary>
    public double NullRateShift { get; init; } = 0.2;

    /// <summary>
    /// Profile shifts (mean, null rate, PSI) are only looked for when the baseline and the batch each have at least this many
    /// rows: below it a mean or a quantile moves by chance, and every small batch would report a shift.
    /// </summary>
    public int MinRowsForProfileShift { get; init; } = 200;

    /// <summary>Names at most this many edits apart (case-insensitive) look like a rename.</summary>
    public int RenameMaxEditDistance { get; init; } = 2;

    /// <summary>A removed and an added column whose null rates differ by at most this can have similar profiles.</summary>
    public double RenameNullRateTolerance { get; init; } = 0.05;
}
