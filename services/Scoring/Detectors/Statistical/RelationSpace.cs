using Vigil.Scoring.Features;

namespace Vigil.Scoring.Detectors.Statistical;

/// <summary>A feature holding a positive quantity, and the feature value where that quantity would be 0.</summary>
public sealed record LogFeature(int Feature, float Zero);

/// <summary>
/// The features the relation detector regresses on: the pipeline's <see cref="Width"/> features, then the natural
/// logarithm of each positive quantity in <see cref="Logs"/>. A product (total = quantity x price x (1 - discount)) is
/// no linear relation between the values but a sum of their logarithms, so a target may be predicted in log space.
/// A target in value space is predicted from the values only, as before log features existed; a target in log space
/// from everything but its own value and logarithm.
/// </summary>
public sealed record RelationSpace(int Width, IReadOnlyList<LogFeature> Logs)
{
    /// <summary>Below this distance from its zero a quantity's logarithm is taken at the distance itself (a value of 0 or less in a batch).</summary>
    private const float SmallestDistance = 1e-6f;

    public int AugmentedWidth => Width + Logs.Count;

    /// <summary>The space of the pipeline's features alone.</summary>
    public static RelationSpace Values(int width) => new(width, []);

    /// <summary>
    /// The numeric value features whose source values are positive in every one of the first <paramref name="rows"/>
    /// rows, with their zeros (<see cref="FeatureSource.Zero"/>).
    /// </summary>
    public static RelationSpace Of(FeatureMatrix matrix, int rows, IReadOnlyList<FeatureSource> sources)
    {
        var logs = new List<LogFeature>();
        for (var f = 0; f < matrix.Columns; f++)
        {
            if (sources[f] is not { Encoding: FeatureEncoding.Numeric, Kind: FeatureKind.Value, Zero: { } zero } || !double.IsFinite(zero)) continue;
            var positive = true;
            for (var r = 0; r < rows && positive; r++) positive = matrix[r, f] > zero;
            if (positive) logs.Add(new LogFeature(f, (float)zero));
        }
        return new RelationSpace(matrix.Columns, logs);
    }

    /// <summary>The pipeline feature a feature of this space measures: itself, or the one whose logarithm it is.</summary>
    public int SourceFeature(int feature) => feature < Width ? feature : Logs[feature - Width].Feature;

    /// <summary>The index of a feature's logarithm in this space, or -1 where it has none.</summary>
    public int LogOf(int feature)
    {
        for (var i = 0; i < Logs.Count; i++)
            if (Logs[i].Feature == feature) return Width + i;
        return -1;
    }

    /// <summary>Whether <paramref name="feature"/> is a predictor of <paramref name="target"/>.</summary>
    public bool Predicts(int feature, int target) =>
        SourceFeature(feature) != SourceFeature(target) && (feature < Width || target >= Width);

    /// <summary>Writes a pipeline feature row followed by its logarithms into <paramref name="destination"/> (<see cref="AugmentedWidth"/> long).</summary>
    public void Write(ReadOnlySpan<float> row, Span<float> destination)
    {
        row.CopyTo(destination);
        for (var i = 0; i < Logs.Count; i++)
            destination[Width + i] = MathF.Log(MathF.Max(row[Logs[i].Feature] - Logs[i].Zero, SmallestDistance));
    }

    /// <summary>The first <paramref name="rows"/> rows of <paramref name="matrix"/> in this space (the whole matrix itself where there are no logarithms).</summary>
    public FeatureMatrix Augment(FeatureMatrix matrix, int rows)
    {
        if (Logs.Count == 0) return matrix;
        var width = AugmentedWidth;
        var values = new float[rows * width];
        for (var r = 0; r < rows; r++) Write(matrix.Row(r), values.AsSpan(r * width, width));
        var names = matrix.FeatureNames.Concat(Logs.Select(l => $"ln({matrix.FeatureNames[l.Feature]})")).ToArray();
        return new FeatureMatrix(values, rows, names);
    }
}
