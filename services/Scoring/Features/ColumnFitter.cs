using System.Numerics.Tensors;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Features;

/// <summary>Learns one column's encoding from the training table, or says why the column cannot be a feature.</summary>
internal static class ColumnFitter
{
    public static (ColumnSpec? Spec, string? SkipReason) Fit(Column column, FeaturePipelineOptions options, bool includedExplicitly)
    {
        if (column.NullCount == column.Length) return (null, "it has no values in the training table");
        return column.Type switch
        {
            ColumnType.Integer or ColumnType.Decimal => FitNumeric(column, options),
            ColumnType.Boolean => (FitBoolean(column, options), null),
            ColumnType.Timestamp => (new ColumnSpec
            {
                Column = column.Name,
                Encoding = FeatureEncoding.CyclicTime,
                TrainedType = column.Type,
                NullIndicator = options.NullIndicators && column.NullCount > 0,
            }, null),
            _ => FitText(column, options, includedExplicitly),
        };
    }

    private static (ColumnSpec?, string?) FitNumeric(Column column, FeaturePipelineOptions options)
    {
        var values = new double[column.Length - column.NullCount];
        var n = 0;
        var nulls = column.NullMask;
        if (column.Type == ColumnType.Decimal)
        {
            var source = column.DoubleValues;
            for (var row = 0; row < source.Length; row++)
            {
                if (!nulls[row] && double.IsFinite(source[row])) values[n++] = source[row];
            }
        }
        else
        {
            var source = column.Int64Values;
            for (var row = 0; row < source.Length; row++)
            {
                if (!nulls[row]) values[n++] = source[row];
            }
        }
        if (n == 0) return (null, "it has no finite values in the training table");

        var finite = values.AsSpan(0, n);
        Span<double> quartiles = stackalloc double[3];
        Quantiles.OfUnsorted(finite, [0.25, 0.5, 0.75], quartiles);
        var median = quartiles[1];
        var scale = quartiles[2] - quartiles[0];
        if (!(scale > 0) || !double.IsFinite(scale)) scale = StandardDeviation(finite);
        if (!(scale > 0) || !double.IsFinite(scale)) scale = 1;
        return (new ColumnSpec
        {
            Column = column.Name,
            Encoding = FeatureEncoding.Numeric,
            TrainedType = column.Type,
            NullIndicator = options.NullIndicators && n < column.Length,
            Median = median,
            Scale = scale,
        }, null);
    }

    private static double StandardDeviation(ReadOnlySpan<double> values)
    {
        if (values.Length < 2) return 0;
        var mean = TensorPrimitives.Sum(values) / values.Length;
        double sum = 0;
        foreach (var v in values) sum += (v - mean) * (v - mean);
        return Math.Sqrt(sum / (values.Length - 1));
    }

    private static ColumnSpec FitBoolean(Column column, FeaturePipelineOptions options)
    {
        long trues = 0;
        for (var row = 0; row < column.Length; row++)
        {
            if (!column.IsNull(row) && column.GetBoolean(row)) trues++;
        }
        return new ColumnSpec
        {
            Column = column.Name,
            Encoding = FeatureEncoding.Boolean,
            TrainedType = column.Type,
            NullIndicator = options.NullIndicators && column.NullCount > 0,
            TrueShare = (double)trues / (column.Length - column.NullCount),
        };
    }

    private static (ColumnSpec?, string?) FitText(Column column, FeaturePipelineOptions options, bool includedExplicitly)
    {
        var counts = TextCounts.Of(column);
        var distinctRatio = (double)counts.Distinct / counts.NonNull;
        if (!includedExplicitly && counts.Distinct > options.OneHotMaxCategories && distinctRatio > options.IdLikeDistinctRatio)
            return (null, $"it looks like an id ({distinctRatio:P0} of its values are distinct); list it in IncludeColumns to use it");

        var indicator = options.NullIndicators && column.NullCount > 0;
        if (counts.Distinct <= options.OneHotMaxCategories)
        {
            var kept = Math.Min(options.TopK, counts.Distinct);
            return (new ColumnSpec
            {
                Column = column.Name,
                Encoding = FeatureEncoding.OneHot,
                TrainedType = column.Type,
                NullIndicator = indicator,
                Values = counts.Values[..kept],
                Counts = counts.Counts[..kept],
                NonNullCount = counts.NonNull,
            }, null);
        }

        var keep = Math.Min(options.FrequencyMaxValues, counts.Distinct);
        long otherCount = 0;
        foreach (var count in counts.Counts.AsSpan(keep)) otherCount += count;
        return (new ColumnSpec
        {
            Column = column.Name,
            Encoding = FeatureEncoding.Frequency,
            TrainedType = column.Type,
            NullIndicator = indicator,
            Values = counts.Values[..keep],
            Counts = counts.Counts[..keep],
            NonNullCount = counts.NonNull,
            OtherCount = otherCount,
            OtherDistinct = counts.Distinct - keep,
        }, null);
    }
}
