using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Features;

/// <summary>
/// A timestamp as two points on circles (UTC): the hour of day at minute resolution, and the day of week. Midnight is
/// next to 23:59 and Sunday next to Saturday, which plain numbers would not say. Values come from tables computed once,
/// so they are the same bits on every machine. Missing values are the circles' centre (0, 0) and set the null indicator.
/// </summary>
internal sealed class CyclicTimeEncoder(ColumnSpec spec) : ColumnEncoder(spec)
{
    private const int MinutesPerDay = 24 * 60;
    private static readonly float[] MinuteOfDay = Circle(MinutesPerDay);
    private static readonly float[] DayOfWeek = Circle(7);

    private readonly bool _indicator = spec.NullIndicator;

    public override int Width => _indicator ? 5 : 4;

    public override IEnumerable<FeatureSource> Describe()
    {
        yield return Source(":hour_sin", FeatureKind.HourSin);
        yield return Source(":hour_cos", FeatureKind.HourCos);
        yield return Source(":dow_sin", FeatureKind.DayOfWeekSin);
        yield return Source(":dow_cos", FeatureKind.DayOfWeekCos);
        if (_indicator) yield return NullSource();
    }

    public override bool Accepts(ColumnType type) => type == ColumnType.Timestamp;

    public override void WriteMissing(Span<float> row)
    {
        if (_indicator) row[Offset + 4] = 1;
    }

    protected override BoundEncoder BindValues(Column column) => new Bound(this, column);

    /// <summary>Sine and cosine of 2πk/n for k in [0, n), interleaved.</summary>
    private static float[] Circle(int n)
    {
        var table = new float[2 * n];
        for (var k = 0; k < n; k++)
        {
            table[2 * k] = (float)double.SinPi(2.0 * k / n);
            table[2 * k + 1] = (float)double.CosPi(2.0 * k / n);
        }
        return table;
    }

    private sealed class Bound(CyclicTimeEncoder encoder, Column column) : BoundEncoder
    {
        public override void Encode(int start, Span<float> rows, int stride)
        {
            var count = rows.Length / stride;
            var ticks = column.Int64Values.Slice(start, count);
            var nulls = column.NullMask.Slice(start, count);
            var offset = encoder.Offset;
            for (var i = 0; i < count; i++)
            {
                var at = i * stride + offset;
                if (nulls[i])
                {
                    if (encoder._indicator) rows[at + 4] = 1;
                    continue;
                }
                var days = Math.DivRem(ticks[i], TimeSpan.TicksPerDay, out var inDay);
                var minute = (int)(inDay / TimeSpan.TicksPerMinute);
                var weekday = (int)((days + 1) % 7); // 0001-01-01 was a Monday; 0 = Sunday as in System.DayOfWeek
                rows[at] = MinuteOfDay[2 * minute];
                rows[at + 1] = MinuteOfDay[2 * minute + 1];
                rows[at + 2] = DayOfWeek[2 * weekday];
                rows[at + 3] = DayOfWeek[2 * weekday + 1];
            }
        }
    }
}
