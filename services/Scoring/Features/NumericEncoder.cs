using System.Buffers;
using System.Numerics.Tensors;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Features;

/// <summary>
/// Robust scaling: (x - median) / IQR, clipped to ±<see cref="Limit"/> so that detectors squaring features stay finite.
/// Missing values (null, NaN, ±infinity) become 0, the median, and set the null indicator.
/// </summary>
internal sealed class NumericEncoder(ColumnSpec spec) : ColumnEncoder(spec)
{
    /// <summary>Scaled values are clipped to this many IQRs either side of the median.</summary>
    public const double Limit = 1e6;

    private readonly double _median = spec.Median!.Value;
    private readonly double _scale = spec.Scale!.Value;
    private readonly bool _indicator = spec.NullIndicator;

    public override int Width => _indicator ? 2 : 1;

    public override string Expected => $"a number ({base.Expected})";

    public override IEnumerable<FeatureSource> Describe()
    {
        yield return Source("", FeatureKind.Value) with { Zero = -_median / _scale };
        if (_indicator) yield return NullSource();
    }

    public override bool Accepts(ColumnType type) => type is ColumnType.Integer or ColumnType.Decimal;

    public override void WriteMissing(Span<float> row)
    {
        if (_indicator) row[Offset + 1] = 1;
    }

    protected override BoundEncoder BindValues(Column column) => new Bound(this, column);

    private sealed class Bound(NumericEncoder encoder, Column column) : BoundEncoder
    {
        public override void Encode(int start, Span<float> rows, int stride)
        {
            var count = rows.Length / stride;
            var nulls = column.NullMask.Slice(start, count);
            var rented = ArrayPool<double>.Shared.Rent(count);
            try
            {
                var scaled = rented.AsSpan(0, count);
                var decimals = column.Type == ColumnType.Decimal ? column.DoubleValues.Slice(start, count) : default;
                if (column.Type == ColumnType.Decimal)
                {
                    TensorPrimitives.Subtract(decimals, encoder._median, scaled);
                }
                else
                {
                    TensorPrimitives.ConvertTruncating(column.Int64Values.Slice(start, count), scaled);
                    TensorPrimitives.Subtract(scaled, encoder._median, scaled);
                }
                TensorPrimitives.Divide(scaled, encoder._scale, scaled);

                var offset = encoder.Offset;
                for (var i = 0; i < count; i++)
                {
                    var at = i * stride + offset;
                    // Integers are always finite; a decimal is judged on its own value, not on the scaled one.
                    if (nulls[i] || (!decimals.IsEmpty && !double.IsFinite(decimals[i])))
                    {
                        if (encoder._indicator) rows[at + 1] = 1;
                        continue;
                    }
                    rows[at] = (float)Math.Clamp(scaled[i], -Limit, Limit);
                }
            }
            finally
            {
                ArrayPool<double>.Shared.Return(rented);
            }
        }
    }
}
