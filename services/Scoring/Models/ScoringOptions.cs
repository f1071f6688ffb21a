namespace Vigil.Scoring.Models;

/// <summary>Options of the scoring stage (section <c>Scoring</c>).</summary>
public sealed class ScoringOptions
{
    public const string Section = "Scoring";

    /// <summary>Share of batches (0-1) that a model under test also scores, beside the active one.</summary>
    public double ShadowShare { get; set; } = 1.0;

    /// <summary>
    /// auto | cpu | cuda: where ONNX Runtime scores. auto takes CUDA when the service is the GPU build and a GPU answers,
    /// else the CPU; cuda without a usable GPU leaves ONNX Runtime unavailable (the managed scorer runs, and says why).
    /// </summary>
    public string Device { get; set; } = "auto";

    /// <summary>What runs on ONNX Runtime (the package the service is built with: CPU, or GPU in the GPU image) and how.</summary>
    public OnnxRuntimeOptions OnnxRuntime { get; set; } = new();

    /// <summary>How many model versions, and their ONNX Runtime sessions, stay loaded, and for how long unused.</summary>
    public ModelCacheOptions ModelCache { get; set; } = new();

    /// <summary>Whether this run is in the shadow share: decided by the run id, so a redelivered batch decides the same.</summary>
    public bool InShadowShare(Guid runId) => ShadowShare >= 1 || (ShadowShare > 0 && (uint)runId.GetHashCode() % 1000 < ShadowShare * 1000);
}

public sealed class OnnxRuntimeOptions
{
    /// <summary>Threads of one ONNX Runtime session; 0 lets ONNX Runtime use every core.</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>
    /// The detectors that run on ONNX Runtime; the others stay on the managed scorer. Unset: the statistical detector
    /// and the autoencoder. The isolation forest is exported too but stays managed by default: ONNX Runtime's
    /// TreeEnsembleRegressor runs on the CPU even under CUDA and measured 5-8x slower than the managed compiled forest.
    /// </summary>
    public string[]? Detectors { get; set; }

    /// <remarks>The default is not an initial value of <see cref="Detectors"/>: the configuration binder appends to those.</remarks>
    public IReadOnlyList<string> EffectiveDetectors => Detectors is { Length: > 0 } named ? named : ["statistical", "autoencoder"];
}

public sealed class ModelCacheOptions
{
    /// <summary>Model versions kept loaded at once (across datasets); the least recently used one is released first.</summary>
    public int MaxVersions { get; set; } = 8;

    /// <summary>A version unused for this long is released; the next batch that needs it loads it again from the object store.</summary>
    public TimeSpan IdleLimit { get; set; } = TimeSpan.FromMinutes(30);
}
