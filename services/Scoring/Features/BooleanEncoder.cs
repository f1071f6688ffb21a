using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Features;

/// <summary>1 for true, 0 for false; missing values take the training share of true and set the null indicator.</summary>
internal sealed class BooleanEncoder(ColumnSpec spec) : ColumnEncoder(spec)
{
    private readonly float _imputed = (float)spec.TrueShare!.Value;
    private readonly bool _indicator = spec.NullIndicator;

    public override int Width => _indicator ? 2 : 1;

    public override IEnumerable<FeatureSource> Describe()
    {
        yield return Source("", FeatureKind.Value);
        if (_indicator) yield return NullSource();
    }

    public override bool Accepts(ColumnType type) => type == ColumnType.Boolean;

    public override void WriteMissing(Span<float> row)
    {
        row[Offset] = _imputed;
        if (_indicator) row[Offset + 1] = 1;
    }

    protected override BoundEncoder BindValues(Column column) => new Bound(this, column);

    private sealed class Bound(BooleanEncoder encoder, Column column) : BoundEncoder
    {
        public override void Encode(int start, Span<float> rows, int stride)
        {
            var count = rows.Length / stride;
            var offset = encoder.Offset;
            for (var i = 0; i < count; i++)
            {
                if (column.IsNull(start + i)) encoder.WriteMissing(rows.Slice(i * stride, stride));
                else if (column.GetBoolean(start + i)) rows[i * stride + offset] = 1;
            }
        }
    }
}
