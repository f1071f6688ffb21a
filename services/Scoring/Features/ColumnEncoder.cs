using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Features;

/// <summary>
/// Encodes one source column into its <see cref="Width"/> features at <see cref="Offset"/> of each feature row.
/// Built from a <see cref="ColumnSpec"/> (fitted or read from JSON), so training and scoring encode identically.
/// Encoders write only non-zero values: the feature rows they write into start zeroed.
/// </summary>
internal abstract class ColumnEncoder(ColumnSpec spec)
{
    public ColumnSpec Spec { get; } = spec;

    public string Column => Spec.Column;

    /// <summary>Index of the encoder's first feature in a feature row.</summary>
    public int Offset { get; set; }

    public abstract int Width { get; }

    /// <summary>The encoder's features in order, with their default names.</summary>
    public abstract IEnumerable<FeatureSource> Describe();

    /// <summary>Whether a batch column of this type can be encoded (a column with no values always can).</summary>
    public abstract bool Accepts(ColumnType type);

    /// <summary>How a column of the trained type is described in messages.</summary>
    public virtual string Expected => Spec.TrainedType.ToString().ToLowerInvariant();

    /// <summary>Writes the encoding of a missing value into one feature row.</summary>
    public abstract void WriteMissing(Span<float> row);

    /// <summary>Prepares to encode a batch's column (of an accepted type).</summary>
    public BoundEncoder Bind(Column column) => column.NullCount == column.Length ? new AllMissing(this) : BindValues(column);

    protected abstract BoundEncoder BindValues(Column column);

    protected FeatureSource Source(string suffix, FeatureKind kind, string? category = null) =>
        new(Column + suffix, Column, Spec.Encoding, kind, category);

    protected FeatureSource NullSource() => Source(":null", FeatureKind.NullIndicator);

    public static ColumnEncoder Create(ColumnSpec spec) => spec.Encoding switch
    {
        FeatureEncoding.Numeric => new NumericEncoder(spec),
        FeatureEncoding.Boolean => new BooleanEncoder(spec),
        FeatureEncoding.CyclicTime => new CyclicTimeEncoder(spec),
        FeatureEncoding.OneHot => new OneHotEncoder(spec),
        FeatureEncoding.Frequency => new FrequencyEncoder(spec),
        _ => throw new InvalidDataException($"Column '{spec.Column}' has an unknown encoding '{spec.Encoding}'."),
    };

    private sealed class AllMissing(ColumnEncoder encoder) : BoundEncoder
    {
        public override void Encode(int start, Span<float> rows, int stride)
        {
            for (var offset = 0; offset < rows.Length; offset += stride) encoder.WriteMissing(rows.Slice(offset, stride));
        }
    }
}

/// <summary>An encoder tied to one batch column; encodes a range of its rows. Thread-safe across disjoint ranges.</summary>
internal abstract class BoundEncoder
{
    /// <summary>Encodes table rows <paramref name="start"/>.. into <paramref name="rows"/> (feature rows of <paramref name="stride"/> values).</summary>
    public abstract void Encode(int start, Span<float> rows, int stride);
}
