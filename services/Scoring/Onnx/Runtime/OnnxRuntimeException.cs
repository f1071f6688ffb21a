using System.Text.RegularExpressions;

namespace Vigil.Scoring.Onnx.Runtime;

/// <summary>ONNX Runtime refused or failed: its own message and error code, or why the runtime cannot be used at all.</summary>
public sealed partial class OnnxRuntimeException : Exception
{
    public OnnxRuntimeException(OrtErrorCode code, string message) : base(message) => Code = code;

    public OnnxRuntimeException(OrtErrorCode code, string message, Exception inner) : base(message, inner) => Code = code;

    public OrtErrorCode Code { get; }

    /// <summary>
    /// The managed API's exception as Vigil's: its message starts "[ErrorCode:InvalidProtobuf] ..." (the code is not
    /// otherwise public), which is read back into <see cref="Code"/>; an unknown or missing code reads as Fail.
    /// </summary>
    internal static OnnxRuntimeException From(Microsoft.ML.OnnxRuntime.OnnxRuntimeException error)
    {
        var match = CodePrefix().Match(error.Message);
        var code = match.Success && Enum.TryParse<OrtErrorCode>(match.Groups[1].Value, out var parsed) ? parsed : OrtErrorCode.Fail;
        var message = match.Success ? error.Message[match.Length..].Trim() : error.Message;
        return new OnnxRuntimeException(code, $"ONNX Runtime: {message} ({code})", error);
    }

    [GeneratedRegex(@"^\[ErrorCode:(\w+)\]")]
    private static partial Regex CodePrefix();
}
