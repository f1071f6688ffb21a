using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Features;

/// <summary>
/// Maps a text value to a per-value payload (a one-hot slot, a frequency). Text of any column type is accepted:
/// texts kept as codes (<see cref="Column.TryGetCodes"/>) are looked up once per value, other String columns read
/// without allocating, other types through their invariant text, so a column that a small batch happens to infer as
/// integers still finds its categories.
/// </summary>
internal abstract class TextEncoder<T>(ColumnSpec spec) : ColumnEncoder(spec) where T : struct
{
    private Dictionary<string, T>? _byValue;

    /// <summary>The payload of each training value (built on first use, read-only after).</summary>
    private Dictionary<string, T> ByValue => LazyInitializer.EnsureInitialized(ref _byValue, BuildByValue);

    public override bool Accepts(ColumnType type) => true;

    public override string Expected => "text";

    protected abstract Dictionary<string, T> BuildByValue();

    /// <summary>The payload of a value the training table did not have (or that was not kept).</summary>
    protected abstract T Unseen { get; }

    /// <summary>Writes a value's payload into its feature row.</summary>
    protected abstract void Write(Span<float> row, T payload);

    protected override BoundEncoder BindValues(Column column)
    {
        var byValue = ByValue;
        // Texts kept as codes are looked up once per distinct value, not once per row.
        if (column.TryGetCodes(out var codes, out var values))
        {
            var byCode = values.Select(c => byValue.TryGetValue(c, out var p) ? p : Unseen).ToArray();
            return new CodeBound(this, column, codes, byCode);
        }
        return new TextBound(this, column, byValue);
    }

    private sealed class CodeBound(TextEncoder<T> encoder, Column column, ReadOnlyMemory<int> codes, T[] byCode) : BoundEncoder
    {
        public override void Encode(int start, Span<float> rows, int stride)
        {
            var count = rows.Length / stride;
            var nulls = column.NullMask.Slice(start, count);
            var span = codes.Span.Slice(start, count);
            for (var i = 0; i < count; i++)
            {
                var row = rows.Slice(i * stride, stride);
                if (nulls[i]) encoder.WriteMissing(row);
                else encoder.Write(row, byCode[span[i]]);
            }
        }
    }

    private sealed class TextBound(TextEncoder<T> encoder, Column column, Dictionary<string, T> byValue) : BoundEncoder
    {
        public override void Encode(int start, Span<float> rows, int stride)
        {
            var count = rows.Length / stride;
            var spans = column.Type == ColumnType.String;
            var lookup = byValue.GetAlternateLookup<ReadOnlySpan<char>>();
            for (var i = 0; i < count; i++)
            {
                var row = rows.Slice(i * stride, stride);
                if (column.IsNull(start + i))
                {
                    encoder.WriteMissing(row);
                    continue;
                }
                var found = spans
                    ? lookup.TryGetValue(column.GetStringSpan(start + i), out var payload)
                    : byValue.TryGetValue(column.GetText(start + i), out payload);
                encoder.Write(row, found ? payload : encoder.Unseen);
            }
        }
    }
}

/// <summary>
/// One 0/1 feature per kept value (the top K at training) and one for every other value, unseen ones included.
/// Missing values are imputed as the most frequent value and set the null indicator.
/// </summary>
internal sealed class OneHotEncoder(ColumnSpec spec) : TextEncoder<int>(spec)
{
    private readonly int _kept = spec.Values!.Count;
    private readonly bool _indicator = spec.NullIndicator;

    public override int Width => _kept + 1 + (_indicator ? 1 : 0);

    public override IEnumerable<FeatureSource> Describe()
    {
        foreach (var value in Spec.Values!) yield return Source("=" + value, FeatureKind.Category, value);
        yield return Source("=(other)", FeatureKind.OtherCategory);
        if (_indicator) yield return NullSource();
    }

    protected override int Unseen => _kept;

    protected override Dictionary<string, int> BuildByValue()
    {
        var slots = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _kept; i++) slots.Add(Spec.Values![i], i);
        return slots;
    }

    protected override void Write(Span<float> row, int slot) => row[Offset + slot] = 1;

    public override void WriteMissing(Span<float> row)
    {
        row[Offset] = 1;
        if (_indicator) row[Offset + _kept + 1] = 1;
    }
}

/// <summary>
/// The value's share of the non-null training values. Values left out of the stored list (beyond
/// <see cref="FeaturePipelineOptions.FrequencyMaxValues"/>) and unseen values get the mean share of the values left out
/// (0 when none was). Missing values are imputed as the most frequent value and set the null indicator.
/// </summary>
internal sealed class FrequencyEncoder(ColumnSpec spec) : TextEncoder<float>(spec)
{
    private readonly bool _indicator = spec.NullIndicator;
    private readonly float _mode = Share(spec.Counts![0], spec.NonNullCount!.Value);
    private readonly float _unseen = spec.OtherDistinct > 0
        ? (float)((double)spec.OtherCount!.Value / spec.OtherDistinct.Value / spec.NonNullCount!.Value)
        : 0f;

    public override int Width => _indicator ? 2 : 1;

    public override IEnumerable<FeatureSource> Describe()
    {
        yield return Source(":frequency", FeatureKind.Frequency);
        if (_indicator) yield return NullSource();
    }

    protected override float Unseen => _unseen;

    protected override Dictionary<string, float> BuildByValue()
    {
        var shares = new Dictionary<string, float>(Spec.Values!.Count, StringComparer.Ordinal);
        for (var i = 0; i < Spec.Values.Count; i++) shares.Add(Spec.Values[i], Share(Spec.Counts![i], Spec.NonNullCount!.Value));
        return shares;
    }

    protected override void Write(Span<float> row, float share) => row[Offset] = share;

    public override void WriteMissing(Span<float> row)
    {
        row[Offset] = _mode;
        if (_indicator) row[Offset + 1] = 1;
    }

    private static float Share(long count, long total) => (float)((double)count / total);
}
