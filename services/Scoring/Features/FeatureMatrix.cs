namespace Vigil.Scoring.Features;

/// <summary>
/// Records as rows of numeric features, row-major in one array so detectors can run SIMD kernels over spans.
/// Produced by the fitted feature pipeline; every value is finite (missing values are imputed, with indicator features).
/// </summary>
public sealed class FeatureMatrix
{
    public FeatureMatrix(float[] values, int rows, IReadOnlyList<string> featureNames)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (rows < 0 || values.Length != rows * featureNames.Count)
            throw new ArgumentException($"{values.Length} values cannot be {rows} rows of {featureNames.Count} features.", nameof(values));
        Values = values;
        Rows = rows;
        FeatureNames = featureNames;
    }

    public float[] Values { get; }

    public int Rows { get; }

    public int Columns => FeatureNames.Count;

    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>
    /// Throws unless <paramref name="features"/> has exactly the features <paramref name="detector"/> was fitted on, in
    /// the same order, naming the first that differs.
    /// </summary>
    public static void RequireFitted(FeatureMatrix features, IReadOnlyList<string> expected, string detector)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Columns != expected.Count)
            throw new ArgumentException($"The {detector} was fitted on {expected.Count} features; the matrix has {features.Columns}.", nameof(features));
        for (var f = 0; f < expected.Count; f++)
            if (!string.Equals(features.FeatureNames[f], expected[f], StringComparison.Ordinal))
                throw new ArgumentException($"Feature {f} is '{features.FeatureNames[f]}' but the {detector} was fitted with '{expected[f]}' there.", nameof(features));
    }

    public ReadOnlySpan<float> Row(int row) => Values.AsSpan(row * Columns, Columns);

    public float this[int row, int column] => Values[row * Columns + column];

    /// <summary>The rows at <paramref name="indexes"/>, in that order (for splits and subsamples).</summary>
    public FeatureMatrix Select(IReadOnlyList<int> indexes)
    {
        var values = new float[indexes.Count * Columns];
        for (var i = 0; i < indexes.Count; i++) Row(indexes[i]).CopyTo(values.AsSpan(i * Columns, Columns));
        return new FeatureMatrix(values, indexes.Count, FeatureNames);
    }
}
