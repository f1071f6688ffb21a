using Vigil.Scoring.Features;
using Vigil.Scoring.Onnx.Runtime;

namespace Vigil.Scoring.Onnx.Scoring;

/// <summary>Checks, before anything reaches native code, that a batch has the features a graph was built for.</summary>
internal static class FeatureCheck
{
    public static void RequireWidth(OnnxTensorInfo input, int width, string detector)
    {
        if (input.Shape.Count != 2 || (input.Shape[1] >= 0 && input.Shape[1] != width))
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument,
                $"The '{detector}' graph takes {input}; the feature pipeline gives [N, {width}].");
    }

    public static void RequireNames(FeatureMatrix features, IReadOnlyList<string> expected, string detector)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Columns != expected.Count)
            throw new ArgumentException($"The '{detector}' graph was built for {expected.Count} features; the matrix has {features.Columns}.", nameof(features));
        for (var f = 0; f < expected.Count; f++)
            if (!string.Equals(features.FeatureNames[f], expected[f], StringComparison.Ordinal))
                throw new ArgumentException($"Feature {f} is '{features.FeatureNames[f]}' but the '{detector}' graph was built with '{expected[f]}' there.", nameof(features));
    }
}
