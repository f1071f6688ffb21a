using Vigil.Scoring.Detectors;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Onnx.Export;
using Vigil.Scoring.Onnx.Runtime;

namespace Vigil.Scoring.Onnx.Scoring;

/// <summary>
/// A model version's detectors on ONNX Runtime, keyed by detector name, for
/// <see cref="EnsembleModel.Score(Features.FeatureMatrix, IReadOnlyDictionary{string, IAnomalyDetector}?)"/>: the model's
/// calibration, weights and thresholds stay its own. Owns the sessions; dispose it with the model version.
/// </summary>
public sealed class OnnxDetectorSet : IDisposable
{
    private readonly List<OnnxDetector> _owned;

    private OnnxDetectorSet(List<OnnxDetector> detectors, ScoringDevice device)
    {
        _owned = detectors;
        Detectors = detectors.ToDictionary(d => d.Name, d => (IAnomalyDetector)d);
        Device = device;
    }

    public IReadOnlyDictionary<string, IAnomalyDetector> Detectors { get; }

    /// <summary>Where these detectors score.</summary>
    public ScoringDevice Device { get; }

    /// <summary>
    /// Exports the model's detectors and starts a session for each, or only for those named in <paramref name="only"/>
    /// (the others stay managed: the isolation forest, say, whose compiled managed scorer outruns ONNX Runtime's tree op).
    /// </summary>
    public static OnnxDetectorSet Create(OnnxRuntimeHost host, EnsembleModel model, int chunkRows = OnnxDetector.DefaultChunkRows,
        IReadOnlySet<string>? only = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var files = EnsembleExporter.Export(model)
            .Where(f => only is null || only.Contains(EnsembleExporter.DetectorName(f.Key)))
            .ToDictionary(f => f.Key, f => f.Value);
        return FromFiles(host, files, model.Statistical.FeatureNames, chunkRows);
    }

    /// <summary>Sessions for a model version's stored ONNX files (<see cref="EnsembleExporter.Export"/>) over the pipeline's features.</summary>
    public static OnnxDetectorSet FromFiles(OnnxRuntimeHost host, IReadOnlyDictionary<string, byte[]> files, IReadOnlyList<string> featureNames,
        int chunkRows = OnnxDetector.DefaultChunkRows)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(files);
        var detectors = new List<OnnxDetector>();
        try
        {
            foreach (var (file, bytes) in files)
            {
                var name = EnsembleExporter.DetectorName(file);
                var session = host.CreateSession(bytes);
                try
                {
                    detectors.Add(new OnnxDetector(name, session, featureNames, chunkRows));
                }
                catch
                {
                    session.Dispose();
                    throw;
                }
            }
        }
        catch
        {
            foreach (var detector in detectors) detector.Dispose();
            throw;
        }
        return new OnnxDetectorSet(detectors, host.Device!);
    }

    public void Dispose()
    {
        foreach (var detector in _owned) detector.Dispose();
    }
}
