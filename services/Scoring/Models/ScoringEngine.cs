using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Vigil.Scoring.Detectors;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Onnx;
using Vigil.Scoring.Onnx.Runtime;
using Vigil.Scoring.Onnx.Scoring;

namespace Vigil.Scoring.Models;

/// <summary>
/// How one model version scores here: the detectors that run on ONNX Runtime (null: all managed), and the device line
/// that the API and every BatchScored carry.
/// </summary>
public sealed record ScoringEngine(IReadOnlyDictionary<string, IAnomalyDetector>? Detectors, string Device);

/// <summary>
/// Puts model versions on ONNX Runtime: loads each version's ONNX files from the registry (exporting in process for a
/// version stored before exports existed), starts one session per detector on the host's device, and keeps them for the
/// version's lifetime. When the runtime is unavailable or a version's graphs do not load, the managed scorer takes over
/// and the device line says why.
/// </summary>
public sealed partial class ScoringEngines(OnnxRuntimeHost host, ModelRegistry registry, IOptions<ScoringOptions> options, ILogger<ScoringEngines> logger)
    : IDisposable
{
    private readonly ConcurrentDictionary<(string Dataset, int Version), Lazy<Task<Loaded>>> _engines = new();

    private sealed record Loaded(ScoringEngine Engine, IReadOnlyList<IDisposable> Sessions);

    public OnnxRuntimeHost Host => host;

    /// <summary>The device line of a run scored without ONNX Runtime.</summary>
    public string ManagedDevice(string? reason = null) =>
        $"cpu (managed scorer{((reason ?? host.FailureReason) is { } why ? $"; {why}" : "")})";

    public async Task<ScoringEngine> ForAsync(string dataset, int version, EnsembleModel model, CancellationToken cancellationToken)
    {
        if (!host.IsAvailable) return new ScoringEngine(null, ManagedDevice());
        var loading = _engines.GetOrAdd((dataset, version), key => new Lazy<Task<Loaded>>(() => LoadAsync(key.Dataset, key.Version, model)));
        return (await loading.Value.WaitAsync(cancellationToken)).Engine;
    }

    private async Task<Loaded> LoadAsync(string dataset, int version, EnsembleModel model)
    {
        var wanted = options.Value.OnnxRuntime.EffectiveDetectors.ToHashSet(StringComparer.Ordinal);
        try
        {
            var files = await registry.OnnxFilesAsync(dataset, version, model, CancellationToken.None);
            var chosen = files.Where(f => f.Key != ModelRegistry.UploadedAutoencoderFile && wanted.Contains(Onnx.Export.EnsembleExporter.DetectorName(f.Key)))
                .ToDictionary(f => f.Key, f => f.Value);
            var sessions = OnnxDetectorSet.FromFiles(host, chosen, model.Pipeline.FeatureNames);
            var detectors = new Dictionary<string, IAnomalyDetector>(sessions.Detectors);
            var owned = new List<IDisposable> { sessions };
            if (model.UploadedAutoencoder)
            {
                try
                {
                    var uploaded = UploadedAutoencoder(files, model);
                    owned.Add(uploaded);
                    detectors[uploaded.Name] = uploaded;
                }
                catch
                {
                    sessions.Dispose();
                    throw;
                }
            }
            var managed = model.DetectorNames.Where(name => !detectors.ContainsKey(name)).ToList();
            var device = managed.Count == 0 ? sessions.Device.Description : $"{sessions.Device.Description}; managed: {string.Join(", ", managed)}";
            return new Loaded(new ScoringEngine(detectors, device), owned);
        }
        catch (Exception e) when (e is OnnxRuntimeException or OnnxModelException or InvalidDataException or ArgumentException or Amazon.S3.AmazonS3Exception)
        {
            LogFallback(logger, dataset, version, e.Message);
            return new Loaded(new ScoringEngine(null, ManagedDevice($"model v{version} did not load on ONNX Runtime: {e.Message}")), []);
        }
    }

    private UserAutoencoderDetector UploadedAutoencoder(IReadOnlyDictionary<string, byte[]> files, EnsembleModel model)
    {
        var graph = files.GetValueOrDefault(ModelRegistry.UploadedAutoencoderFile)
            ?? throw new InvalidDataException($"{ModelRegistry.UploadedAutoencoderFile} is missing from the version's files.");
        var session = host.CreateSession(graph);
        try
        {
            return new UserAutoencoderDetector(session, model.Pipeline.FeatureNames);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Model {Dataset} v{Version} scores on the managed scorer: {Reason}")]
    private static partial void LogFallback(ILogger logger, string dataset, int version, string reason);

    public void Dispose()
    {
        foreach (var engine in _engines.Values.Where(e => e.IsValueCreated && e.Value.IsCompletedSuccessfully))
            foreach (var session in engine.Value.Result.Sessions) session.Dispose();
    }
}
