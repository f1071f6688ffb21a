using Vigil.Tabular.Tables;

namespace Vigil.Validation.Reconciliation;

/// <summary>
/// Compares one column over a range of matched pairs, specialised to the two sides' types so that the loop reads
/// flat typed values. Null on both sides is equal; present in source and null in target is a null introduced;
/// null in source and present in target is a changed value.
/// </summary>
internal abstract class ValueComparer(Column source, Column target)
{
    protected Column SourceColumn { get; } = source;

    protected Column TargetColumn { get; } = target;

    public static ValueComparer For(Column source, Column target, ReconciliationOptions options)
    {
        var absolute = options.NumericTolerance;
        var relative = options.RelativeTolerance ?? 0;
        return ComparisonModes.Resolve(source.Type, target.Type) switch
        {
            ComparisonMode.Integer => new IntegerComparer(source, target, absolute, relative),
            ComparisonMode.Decimal => new DecimalComparer(source, target, absolute, relative),
            ComparisonMode.MixedNumeric => new MixedNumericComparer(source, target, absolute, relative),
            ComparisonMode.Boolean => new BooleanComparer(source, target),
            ComparisonMode.Timestamp => new TimestampComparer(source, target),
            ComparisonMode.Categorical => new CategoricalComparer(source, target, options.TrimStrings),
            ComparisonMode.Text when !options.TrimStrings && source.Type == ColumnType.String && target.Type == ColumnType.String =>
                new OrdinalStringComparer(source, target),
            _ => new TextComparer(source, target, options.TrimStrings),
        };
    }

    /// <summary>
    /// Compares the pairs visited in [from, to) of <paramref name="pairs"/> and appends the identifiers
    /// (<see cref="MatchedPairs.Pair"/>) of those whose value changed, and of those where a null was introduced.
    /// </summary>
    public abstract void Compare(MatchedPairs pairs, int from, int to, List<int> changed, List<int> nullsIntroduced);

    protected void Scan<TEquality>(TEquality equality, MatchedPairs pairs, int from, int to, List<int> changed, List<int> nullsIntroduced)
        where TEquality : IRowEquality, allows ref struct
    {
        var sourceRows = pairs.SourceRow.AsSpan(from, to - from);
        var targetRows = pairs.TargetRow.AsSpan(from, to - from);
        var ids = pairs.Pair.AsSpan(from, to - from);
        if (SourceColumn.NullCount == 0 && TargetColumn.NullCount == 0)
        {
            for (var i = 0; i < ids.Length; i++)
            {
                if (!equality.Equal(sourceRows[i], targetRows[i])) changed.Add(ids[i]);
            }

            return;
        }

        var sourceNulls = SourceColumn.NullMask;
        var targetNulls = TargetColumn.NullMask;
        for (var i = 0; i < ids.Length; i++)
        {
            var s = sourceRows[i];
            var t = targetRows[i];
            if (sourceNulls[s])
            {
                if (!targetNulls[t]) changed.Add(ids[i]);
            }
            else if (targetNulls[t])
            {
                nullsIntroduced.Add(ids[i]);
            }
            else if (!equality.Equal(s, t))
            {
                changed.Add(ids[i]);
            }
        }
    }

    private static bool Within(double a, double b, double absolute, double relative)
    {
        var difference = Math.Abs(a - b);
        return difference <= absolute || difference <= relative * Math.Max(Math.Abs(a), Math.Abs(b));
    }

    protected interface IRowEquality
    {
        bool Equal(int sourceRow, int targetRow);
    }

    private sealed class IntegerComparer(Column source, Column target, double absolute, double relative) : ValueComparer(source, target)
    {
        public override void Compare(MatchedPairs pairs, int from, int to, List<int> changed, List<int> nullsIntroduced) =>
            Scan(new Equality(SourceColumn.Int64Values, TargetColumn.Int64Values, absolute, relative), pairs, from, to, changed, nullsIntroduced);

        private readonly ref struct Equality(ReadOnlySpan<long> s, ReadOnlySpan<long> t, double absolute, double relative) : IRowEquality
        {
            private readonly ReadOnlySpan<long> _s = s;
            private readonly ReadOnlySpan<long> _t = t;

            public bool Equal(int sourceRow, int targetRow) =>
                _s[sourceRow] == _t[targetRow] || Within(_s[sourceRow], _t[targetRow], absolute, relative);
        }
    }

    private sealed class DecimalComparer(Column source, Column target, double absolute, double relative) : ValueComparer(source, target)
    {
        public override void Compare(MatchedPairs pairs, int from, int to, List<int> changed, List<int> nullsIntroduced) =>
            Scan(new Equality(SourceColumn.DoubleValues, TargetColumn.DoubleValues, absolute, relative), pairs, from, to, changed, nullsIntroduced);

        private readonly ref struct Equality(ReadOnlySpan<double> s, ReadOnlySpan<double> t, double absolute, double relative) : IRowEquality
        {
            private readonly ReadOnlySpan<double> _s = s;
            private readonly ReadOnlySpan<double> _t = t;

            public bool Equal(int sourceRow, int targetRow) =>
                _s[sourceRow] == _t[targetRow] || Within(_s[sourceRow], _t[targetRow], absolute, relative);
        }
    }

    private sealed class MixedNumericComparer(Column source, Column target, double absolute, double relative) : ValueComparer(source, target)
    {
        public override void Compare(MatchedPairs pairs, int from, int to, List<int> changed, List<int> nullsIntroduced) =>
            Scan(new Equality(SourceColumn, TargetColumn, absolute, relative), pairs, from, to, changed, nullsIntroduced);

        private readonly struct Equality(Column s, Column t, double absolute, double relative) : IRowEquality
        {
            public bool Equal(int sourceRow, int targetRow) => s.GetDouble(sourceRow) is var a && t.GetDouble(targetRow) is var b
                && (a == b || Within(a, b, absolute, relative));
        }
    }

    private sealed class BooleanComparer(Column source, Column target) : ValueComparer(source, target)
    {
        public override void Compare(MatchedPairs pairs, int from, int to, List<int> changed, List<int> nullsIntroduced) =>
            Scan(new Equality(SourceColumn, TargetColumn), pairs, from, to, changed, nullsIntroduced);

        private readonly struct Equality(Column s, Column t) : IRowEquality
        {
            public bool Equal(int sourceRow, int targetRow) => s.GetBoolean(sourceRow) == t.GetBoolean(targetRow);
        }
    }

    private sealed class TimestampComparer(Column source, Column target) : ValueComparer(source, target)
    {
        public override void Compare(MatchedPairs pairs, int from, int to, List<int> changed, List<int> nullsIntroduced) =>
            Scan(new Equality(SourceColumn.Int64Values, TargetColumn.Int64Values), pairs, from, to, changed, nullsIntroduced);

        private readonly ref struct Equality(ReadOnlySpan<long> s, ReadOnlySpan<long> t) : IRowEquality
        {
            private readonly ReadOnlySpan<long> _s = s;
            private readonly ReadOnlySpan<long> _t = t;

            public bool Equal(int sourceRow, int targetRow) => _s[sourceRow] == _t[targetRow];
        }
    }

    /// <summary>Both sides dictionary-encoded: categories are mapped once to shared ids, then codes compare as ints.</summary>
    private sealed class CategoricalComparer : ValueComparer
    {
        private readonly int[] _sourceIds;
        private readonly int[] _targetIds;

        public CategoricalComparer(Column source, Column target, bool trim) : base(source, target)
        {
            var ids = new Dictionary<string, int>(StringComparer.Ordinal);
            _sourceIds = Ids(source.Categories, ids, trim);
            _targetIds = Ids(target.Categories, ids, trim);
        }

        public override void Compare(MatchedPairs pairs, int from, int to, List<int> changed, List<int> nullsIntroduced) =>
            Scan(new Equality(SourceColumn, TargetColumn, _sourceIds, _targetIds), pairs, from, to, changed, nullsIntroduced);

        private static int[] Ids(IReadOnlyList<string> categories, Dictionary<string, int> ids, bool trim)
        {
            var result = new int[categories.Count];
            for (var code = 0; code < result.Length; code++)
            {
                var text = trim ? categories[code].Trim() : categories[code];
                if (!ids.TryGetValue(text, out var id)) ids[text] = id = ids.Count;
                result[code] = id;
            }

            return result;
        }

        private readonly struct Equality(Column s, Column t, int[] sourceIds, int[] targetIds) : IRowEquality
        {
            public bool Equal(int sourceRow, int targetRow) =>
                sourceIds[s.GetCategoryCode(sourceRow)] == targetIds[t.GetCategoryCode(targetRow)];
        }
    }

    private sealed class OrdinalStringComparer(Column source, Column target) : ValueComparer(source, target)
    {
        public override void Compare(MatchedPairs pairs, int from, int to, List<int> changed, List<int> nullsIntroduced) =>
            Scan(new Equality(SourceColumn, TargetColumn), pairs, from, to, changed, nullsIntroduced);

        private readonly struct Equality(Column s, Column t) : IRowEquality
        {
            public bool Equal(int sourceRow, int targetRow) => string.Equals(s.GetString(sourceRow), t.GetString(targetRow), StringComparison.Ordinal);
        }
    }

    /// <summary>Text against text (trimmed, or string against categorical), or any other type mix by invariant text.</summary>
    private sealed class TextComparer(Column source, Column target, bool trim) : ValueComparer(source, target)
    {
        private readonly TextSource _source = TextSource.For(source, trim);
        private readonly TextSource _target = TextSource.For(target, trim);

        public override void Compare(MatchedPairs pairs, int from, int to, List<int> changed, List<int> nullsIntroduced) =>
            Scan(new Equality(_source, _target), pairs, from, to, changed, nullsIntroduced);

        private readonly struct Equality(TextSource s, TextSource t) : IRowEquality
        {
            public bool Equal(int sourceRow, int targetRow) => s.Text(sourceRow).SequenceEqual(t.Text(targetRow));
        }
    }
}
