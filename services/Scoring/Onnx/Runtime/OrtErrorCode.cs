namespace Vigil.Scoring.Onnx.Runtime;

/// <summary>
/// ONNX Runtime's error codes (OrtErrorCode of its C API, in order), for Vigil's own refusals and ONNX Runtime's alike.
/// The managed API keeps its code internal and states it in the message, which <see cref="OnnxRuntimeException"/> reads.
/// </summary>
public enum OrtErrorCode
{
    Ok = 0,
    Fail = 1,
    InvalidArgument = 2,
    NoSuchFile = 3,
    NoModel = 4,
    EngineError = 5,
    RuntimeException = 6,
    InvalidProtobuf = 7,
    ModelLoaded = 8,
    NotImplemented = 9,
    InvalidGraph = 10,
    ExecutionProviderFailure = 11,
}
