using System.Numerics;
using Vigil.Tabular.Tables;

namespace Vigil.Validation.Reconciliation;

/// <summary>
/// Hashes and compares the composite key of a row, on either side (0 = source, 1 = target), from the typed values
/// without building a string per row. Equal keys hash equal across sides, whatever the pair of column types.
/// </summary>
internal sealed class KeyPlan
{
    public const int Source = 0;
    public const int Target = 1;

    private const ulong Prime1 = 0x9E3779B185EBCA87UL;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;
    private const int ChunkRows = 32_768;

    private readonly KeyPart[] _parts;
    private readonly Column[][] _columns; // [side][key column]
    private readonly ulong _mask;

    public KeyPlan(IReadOnlyList<Column> sourceKeys, IReadOnlyList<Column> targetKeys, bool trimStrings, ulong hashMask)
    {
        _parts = [.. sourceKeys.Select((s, i) => KeyPart.For(s, targetKeys[i], trimStrings))];
        _columns = [[.. sourceKeys], [.. targetKeys]];
        _mask = hashMask;
    }

    /// <summary>Every row's key hash on one side, and which rows have a null in a key column.</summary>
    public (ulong[] Hashes, bool[] NullKey) HashRows(int side, int rowCount)
    {
        var hashes = new ulong[rowCount];
        var nullKey = new bool[rowCount];
        var chunks = (rowCount + ChunkRows - 1) / ChunkRows;
        Parallel.For(0, chunks, chunk =>
        {
            var from = chunk * ChunkRows;
            var to = Math.Min(rowCount, from + ChunkRows);
            foreach (var column in _columns[side])
            {
                var nulls = column.NullMask;
                for (var row = from; row < to; row++) nullKey[row] |= nulls[row];
            }

            for (var row = from; row < to; row++)
            {
                if (nullKey[row]) continue;
                var h = (ulong)_parts.Length;
                foreach (var part in _parts) h = BitOperations.RotateLeft(h + part.Hash(side, row) * Prime2, 31) * Prime1;
                hashes[row] = Finish(h) & _mask;
            }
        });
        return (hashes, nullKey);
    }

    public bool Equal(int sideA, int rowA, int sideB, int rowB)
    {
        foreach (var part in _parts)
        {
            if (!part.Equal(sideA, rowA, sideB, rowB)) return false;
        }

        return true;
    }

    private static ulong Finish(ulong h)
    {
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCDUL;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53UL;
        return h ^ (h >> 33);
    }

    /// <summary>One key column on both sides, normalised to the mode the two types compare in.</summary>
    private abstract class KeyPart
    {
        public static KeyPart For(Column source, Column target, bool trim) => ComparisonModes.Resolve(source.Type, target.Type) switch
        {
            ComparisonMode.Integer or ComparisonMode.Timestamp => new Int64Part([source.Int64Values.ToArray(), target.Int64Values.ToArray()]),
            ComparisonMode.Boolean => new Int64Part([Booleans(source), Booleans(target)]),
            ComparisonMode.Decimal or ComparisonMode.MixedNumeric => new DoublePart([Doubles(source), Doubles(target)]),
            _ => new TextPart([TextSource.For(source, trim), TextSource.For(target, trim)]),
        };

        public abstract ulong Hash(int side, int row);

        public abstract bool Equal(int sideA, int rowA, int sideB, int rowB);

        private static long[] Booleans(Column column)
        {
            var values = new long[column.Length];
            for (var i = 0; i < values.Length; i++) values[i] = !column.IsNull(i) && column.GetBoolean(i) ? 1 : 0;
            return values;
        }

        private static double[] Doubles(Column column)
        {
            if (column.Type == ColumnType.Decimal) return column.DoubleValues.ToArray();
            var longs = column.Int64Values;
            var values = new double[longs.Length];
            for (var i = 0; i < values.Length; i++) values[i] = longs[i];
            return values;
        }
    }

    private sealed class Int64Part(long[][] values) : KeyPart
    {
        public override ulong Hash(int side, int row) => (ulong)values[side][row];

        public override bool Equal(int sideA, int rowA, int sideB, int rowB) => values[sideA][rowA] == values[sideB][rowB];
    }

    private sealed class DoublePart(double[][] values) : KeyPart
    {
        // 0.0 and -0.0 are equal, so they must hash alike.
        public override ulong Hash(int side, int row) => values[side][row] is var v && v == 0 ? 0 : (ulong)BitConverter.DoubleToInt64Bits(v);

        public override bool Equal(int sideA, int rowA, int sideB, int rowB) => values[sideA][rowA] == values[sideB][rowB];
    }

    private sealed class TextPart(TextSource[] sources) : KeyPart
    {
        public override ulong Hash(int side, int row) => (uint)sources[side].Hash(row);

        public override bool Equal(int sideA, int rowA, int sideB, int rowB) =>
            sources[sideA].Text(rowA).SequenceEqual(sources[sideB].Text(rowB));
    }
}
