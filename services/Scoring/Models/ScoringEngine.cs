using Microsoft.Extensions.Options;
using Vigil.Scoring.Detectors;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Onnx;
using Vigil.Scoring.Onnx.Runtime;
using Vigil.Scoring.Onnx.Scoring;
using Vigil.ServiceDefaults.Memory;

namespace Vigil.Scoring.Models;

/// <summary>
/// How one model version scores here: the detectors that run on ONNX Runtime (null: all managed), and the device line
/// that the API and every BatchScored carry.
/// </summary>
public sealed record ScoringEngine(IReadOnlyDictionary<string, IAnomalyDetector>? Detectors, string Device);

/// <summary>
/// Puts model versions on ONNX Runtime: loads each version's ONNX files from the registry (exporting in process for a
/// version stored before exports existed), starts one session per detector on the host's device, and keeps them while
/// the version is in use, within <see cref="ScoringOptions.ModelCache"/>'s bounds. A version released from the cache
/// closes its sessions once the last batch scoring with it returns its lease. When the runtime is unavailable or a
/// version's graphs do not load, the managed scorer takes over and the device line says why.
/// </summary>
public sealed partial class ScoringEngines : IDisposable
{
    private readonly OnnxRuntimeHost _host;
    private readonly ModelRegistry _registry;
    private readonly IOptions<ScoringOptions> _options;
    private readonly ILogger<ScoringEngines> _logger;
    private readonly VersionCache<(string Dataset, int Version), EngineSlot> _engines;

    public ScoringEngines(OnnxRuntimeHost host, ModelRegistry registry, IOptions<ScoringOptions> options, TimeProvider clock, ILogger<ScoringEngines> logger)
    {
        (_host, _registry, _options, _logger) = (host, registry, options, logger);
        var bounds = options.Value.ModelCache;
        _engines = new(bounds.MaxVersions, bounds.IdleLimit, clock, slot => slot.Retire());
    }

    internal sealed record Loaded(ScoringEngine Engine, IReadOnlyList<IDisposable> Sessions);

    public OnnxRuntimeHost Host => _host;

    /// <summary>Versions whose sessions are loaded or loading now (bounded by <see cref="ModelCacheOptions.MaxVersions"/>).</summary>
    public int LoadedVersions => _engines.Count;

    /// <summary>The device line of a run scored without ONNX Runtime.</summary>
    public string ManagedDevice(string? reason = null) =>
        $"cpu (managed scorer{((reason ?? _host.FailureReason) is { } why ? $"; {why}" : "")})";

    /// <summary>How a version scores here; dispose the lease when the batch is scored so a released version can close its sessions.</summary>
    public async Task<ScoringEngineLease> ForAsync(string dataset, int version, EnsembleModel model, CancellationToken cancellationToken)
    {
        var timing = Lifecycle.ScoringTimings.Active is { } timings ? (timings, version, System.Diagnostics.Stopwatch.GetTimestamp()) : default;
        if (!_host.IsAvailable) return new ScoringEngineLease(new ScoringEngine(null, ManagedDevice()), null) { Timing = timing };
        var slot = _engines.GetOrAdd((dataset, version), key => new EngineSlot(() => LoadAsync(key.Dataset, key.Version, model)), s => s.Acquire());
        try
        {
            return new ScoringEngineLease((await slot.Loading.Value.WaitAsync(cancellationToken)).Engine, slot) { Timing = timing };
        }
        catch
        {
            slot.Release();
            // A load that failed outright is not kept: the next batch tries again.
            if (slot.Loading.Value.IsFaulted) _engines.RemoveWhere(key => key == (dataset, version));
            throw;
        }
    }

    /// <summary>A cached version: its sessions, and how many batches are scoring with it right now.</summary>
    internal sealed class EngineSlot(Func<Task<Loaded>> load)
    {
        private readonly Lock _gate = new();
        private int _users;
        private bool _retired;

        public Lazy<Task<Loaded>> Loading { get; } = new(load);

        public void Acquire()
        {
            lock (_gate) _users++;
        }

        public void Release()
        {
            bool close;
            lock (_gate) close = --_users == 0 && _retired;
            if (close) Close();
        }

        public void Retire()
        {
            bool close;
            lock (_gate)
            {
                _retired = true;
                close = _users == 0;
            }
            if (close) Close();
        }

        private void Close()
        {
            if (Loading.IsValueCreated && Loading.Value.IsCompletedSuccessfully)
                DisposeSessions(Loading.Value.Result);
            else if (Loading.IsValueCreated)
                Loading.Value.ContinueWith(t => DisposeSessions(t.Result),
                    CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }

        private static void DisposeSessions(Loaded loaded)
        {
            foreach (var session in loaded.Sessions) session.Dispose();
            NativeHeap.Trim();
        }
    }

    private async Task<Loaded> LoadAsync(string dataset, int version, EnsembleModel model)
    {
        var wanted = _options.Value.OnnxRuntime.EffectiveDetectors.ToHashSet(StringComparer.Ordinal);
        try
        {
            var files = await _registry.OnnxFilesAsync(dataset, version, model, CancellationToken.None);
            var chosen = files.Where(f => f.Key != ModelRegistry.UploadedAutoencoderFile && wanted.Contains(Onnx.Export.EnsembleExporter.DetectorName(f.Key)))
                .ToDictionary(f => f.Key, f => f.Value);
            var sessions = OnnxDetectorSet.FromFiles(_host, chosen, model.Pipeline.FeatureNames);
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
            LogFallback(_logger, dataset, version, e.Message);
            return new Loaded(new ScoringEngine(null, ManagedDevice($"model v{version} did not load on ONNX Runtime: {e.Message}")), []);
        }
    }

    private UserAutoencoderDetector UploadedAutoencoder(IReadOnlyDictionary<string, byte[]> files, EnsembleModel model)
    {
        var graph = files.GetValueOrDefault(ModelRegistry.UploadedAutoencoderFile)
            ?? throw new InvalidDataException($"{ModelRegistry.UploadedAutoencoderFile} is missing from the version's files.");
        var session = _host.CreateSession(graph);
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
        foreach (var slot in _engines.Values()) slot.Retire();
    }
}

/// <summary>A version's engine, held while one batch scores with it.</summary>
public sealed class ScoringEngineLease : IDisposable
{
    private ScoringEngines.EngineSlot? _slot;

    internal ScoringEngineLease(ScoringEngine engine, ScoringEngines.EngineSlot? slot) => (Engine, _slot) = (engine, slot);

    public ScoringEngine Engine { get; }

    /// <summary>Where to record how long the version was held (see <see cref="Lifecycle.ScoringTimings"/>), from when it was asked for.</summary>
    internal (Lifecycle.ScoringTimings? Timings, int Version, long Started) Timing { get; init; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _slot, null) is { } slot) slot.Release();
        if (Timing.Timings is { } timings && Interlocked.Exchange(ref _recorded, 1) == 0)
            timings.Record(Timing.Version, System.Diagnostics.Stopwatch.GetElapsedTime(Timing.Started));
    }

    private int _recorded;
}
