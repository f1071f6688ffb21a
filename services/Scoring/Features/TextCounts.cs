using System.Runtime.InteropServices;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Features;

/// <summary>Distinct non-null texts of a column with their counts, most frequent first (ties by ordinal text).</summary>
internal sealed class TextCounts
{
    private TextCounts(string[] values, long[] counts, long nonNull)
    {
        Values = values;
        Counts = counts;
        NonNull = nonNull;
    }

    public string[] Values { get; }

    public long[] Counts { get; }

    public long NonNull { get; }

    public int Distinct => Values.Length;

    public static TextCounts Of(Column column)
    {
        var nulls = column.NullMask;
        if (column.TryGetCodes(out var coded, out var values))
        {
            // Count by code, then name the codes (a Categorical column's values may repeat a text).
            var byCode = new long[values.Count];
            var codes = coded.Span;
            for (var row = 0; row < codes.Length; row++)
            {
                if (!nulls[row]) byCode[codes[row]]++;
            }
            var seen = new Dictionary<string, long>(values.Count, StringComparer.Ordinal);
            for (var code = 0; code < byCode.Length; code++)
            {
                if (byCode[code] == 0) continue;
                var text = values[code];
                seen[text] = seen.GetValueOrDefault(text) + byCode[code];
            }
            return Ordered(seen);
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        if (column.Type == ColumnType.String)
        {
            var lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
            for (var row = 0; row < column.Length; row++)
            {
                if (nulls[row]) continue;
                CollectionsMarshal.GetValueRefOrAddDefault(lookup, column.GetStringSpan(row), out _)++;
            }
        }
        else
        {
            for (var row = 0; row < column.Length; row++)
            {
                if (nulls[row]) continue;
                var text = column.GetText(row);
                counts[text] = counts.GetValueOrDefault(text) + 1;
            }
        }
        return Ordered(counts);
    }

    private static TextCounts Ordered(Dictionary<string, long> counts)
    {
        var pairs = counts.ToArray();
        Array.Sort(pairs, static (a, b) =>
        {
            var byCount = b.Value.CompareTo(a.Value);
            return byCount != 0 ? byCount : string.CompareOrdinal(a.Key, b.Key);
        });
        var values = new string[pairs.Length];
        var ordered = new long[pairs.Length];
        long total = 0;
        for (var i = 0; i < pairs.Length; i++)
        {
            (values[i], ordered[i]) = (pairs[i].Key, pairs[i].Value);
            total += ordered[i];
        }
        return new TextCounts(values, ordered, total);
    }
}
