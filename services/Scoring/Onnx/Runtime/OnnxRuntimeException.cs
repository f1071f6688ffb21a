namespace Vigil.Scoring.Onnx.Runtime;

/// <summary>ONNX Runtime refused or failed: its own message and error code, or why the runtime cannot be used at all.</summary>
public sealed class OnnxRuntimeException : Exception
{
    public OnnxRuntimeException(OrtErrorCode code, string message) : base(message) => Code = code;

    public OnnxRuntimeException(OrtErrorCode code, string message, Exception inner) : base(message, inner) => Code = code;

    public OrtErrorCode Code { get; }
}
