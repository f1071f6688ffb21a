namespace Vigil.Validation.Quality;

/// <summary>
/// A batch's data-quality score (0-100, one decimal), its dimension scores (0-100, two decimals), the weights used and
/// the formula in words, so that a stored run says how its score came about.
/// </summary>
public sealed record DqScoreResult(double Score, IReadOnlyDictionary<string, double> Dimensions, DqWeights Weights, string Formula);
