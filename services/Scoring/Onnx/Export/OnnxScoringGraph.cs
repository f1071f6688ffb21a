namespace Vigil.Scoring.Onnx.Export;

/// <summary>
/// The names every exported detector graph shares: one float input "features" [N, F]; output "score" [N] and, where
/// the detector explains, "contributions" [N, F] (what <see cref="Detectors.DetectorScores"/> holds).
/// </summary>
public static class OnnxScoringGraph
{
    public const string Input = "features";
    public const string Score = "score";
    public const string Contributions = "contributions";

    public const string AutoencoderFile = "autoencoder.onnx";
    public const string IsolationForestFile = "isolation_forest.onnx";
    public const string StatisticalFile = "statistical.onnx";
}
