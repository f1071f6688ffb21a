namespace Vigil.Scoring.Models;

/// <summary>Options of the scoring stage (section <c>Scoring</c>).</summary>
public sealed class ScoringOptions
{
    public const string Section = "Scoring";

    /// <summary>Share of batches (0-1) that a model under test also scores, beside the active one.</summary>
    public double ShadowShare { get; set; } = 1.0;

    /// <summary>auto | cpu | cuda. Only the managed CPU scorer exists so far; the ONNX Runtime path reads this.</summary>
    public string Device { get; set; } = "auto";

    /// <summary>Where the native ONNX Runtime library is (GPU images set it); read by the ONNX Runtime scorer.</summary>
    public OnnxRuntimeOptions OnnxRuntime { get; set; } = new();

    /// <summary>Whether this run is in the shadow share: decided by the run id, so a redelivered batch decides the same.</summary>
    public bool InShadowShare(Guid runId) => ShadowShare >= 1 || (ShadowShare > 0 && (uint)runId.GetHashCode() % 1000 < ShadowShare * 1000);
}

public sealed class OnnxRuntimeOptions
{
    public string? LibraryPath { get; set; }
}
