namespace Vigil.Scoring.Features;

/// <summary>
/// A table does not fit the pipeline: a column it needs is missing or has an incompatible type, or (at training) no
/// column can become a feature. The message names the columns and what was expected of them.
/// </summary>
public sealed class FeaturePipelineException(string message) : Exception(message);
