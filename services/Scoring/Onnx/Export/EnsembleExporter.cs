using Vigil.Scoring.Ensemble;

namespace Vigil.Scoring.Onnx.Export;

/// <summary>A model version's ONNX files, by file name: statistical.onnx, and isolation_forest.onnx and autoencoder.onnx where trained.</summary>
public static class EnsembleExporter
{
    public static IReadOnlyDictionary<string, byte[]> Export(EnsembleModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var files = new Dictionary<string, byte[]> { [OnnxScoringGraph.StatisticalFile] = StatisticalExporter.Export(model.Statistical) };
        if (model.Forest is not null) files[OnnxScoringGraph.IsolationForestFile] = IsolationForestExporter.Export(model.Forest);
        if (model.Autoencoder is not null) files[OnnxScoringGraph.AutoencoderFile] = AutoencoderExporter.Export(model.Autoencoder);
        return files;
    }

    /// <summary>The detector name (<see cref="Detectors.IAnomalyDetector.Name"/>) each file replaces.</summary>
    public static string DetectorName(string file) => file switch
    {
        OnnxScoringGraph.StatisticalFile => Detectors.Statistical.StatisticalDetector.DetectorName,
        OnnxScoringGraph.IsolationForestFile => Detectors.Forest.IsolationForest.DetectorName,
        OnnxScoringGraph.AutoencoderFile => Detectors.Neural.Autoencoder.DetectorName,
        _ => throw new ArgumentException($"'{file}' is not one of a model version's ONNX files.", nameof(file)),
    };
}
