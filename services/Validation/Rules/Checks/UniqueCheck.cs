using System.Buffers;
using System.Numerics;
using Vigil.Tabular.Tables;

namespace Vigil.Validation.Rules.Checks;

/// <summary>
/// Finds rows that repeat an earlier row's values in the key columns, as a parallel radix-partitioned hash join:
/// <list type="number">
/// <item>per chunk of rows: a 64-bit hash of each row's key (column at a time) and a count per bucket;</item>
/// <item>per chunk: rows scattered into their buckets (stable, so a bucket holds its rows in row order);</item>
/// <item>per partition (a set of buckets): an open-addressing table per bucket, sized to stay in cache.</item>
/// </list>
/// A row whose hash is already in the table is compared value by value with that earlier row, so a hash collision
/// never counts as a duplicate. Integer keys hash bijectively; text keys use .NET's randomised string hash, so crafted
/// collisions cannot be planted. Rows with a null in a key column are not checked. Large buffers are pooled.
/// </summary>
internal sealed class UniqueCheck : RuleCheck
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>Rows per bucket aimed at: a bucket's table (two int slots per row) then fits a core's cache.</summary>
    private const int BucketRows = 8192;

    private readonly Column[] _columns;
    private readonly int _rowCount;
    private readonly int _chunks;
    private readonly int _partitionBits, _blockBits;
    private readonly int[][] _chunkCounts;
    private readonly Lock _offsetsLock = new();
    private ulong[]? _hashes;
    private bool[]? _skip;
    private int[]? _sortedRows;
    private ulong[]? _sortedHashes;
    private int[]? _bucketStarts;
    private int[][]? _chunkOffsets;

    public UniqueCheck(RuleDefinition rule, IReadOnlyList<Column> columns, int rowCount, int parallelism) : base(rule)
    {
        _columns = [.. columns];
        _rowCount = rowCount;
        _chunks = (rowCount + RowCheck.ChunkRows - 1) / RowCheck.ChunkRows;
        var partitions = rowCount < 2 * RowCheck.ChunkRows ? 1 : Math.Clamp(2 * parallelism, 1, 16);
        _partitionBits = BitOperations.Log2(BitOperations.RoundUpToPowerOf2((uint)partitions));
        _blockBits = BitOperations.Log2(BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, (rowCount >> _partitionBits) / BucketRows)));
        _chunkCounts = new int[_chunks][];
        if (rowCount == 0) return;
        _hashes = ArrayPool<ulong>.Shared.Rent(rowCount);
        _sortedRows = ArrayPool<int>.Shared.Rent(rowCount);
        _sortedHashes = ArrayPool<ulong>.Shared.Rent(rowCount);
        if (_columns.Any(c => c.NullCount > 0)) _skip = ArrayPool<bool>.Shared.Rent(rowCount);
    }

    private int Buckets => 1 << (_partitionBits + _blockBits);

    public override IReadOnlyList<Column> SampleColumns => _columns;

    public override int PreparationPhases => 2;

    public override int PreparationItems(int phase) => _chunks;

    public override int Items => _rowCount == 0 ? 0 : 1 << _partitionBits;

    public override bool IsHeavy => true;

    /// <summary>Rows that repeat an earlier row's key, counted on one thread (for the DQ score's uniqueness).</summary>
    public static (long Repeats, long Checked) CountRepeats(IReadOnlyList<Column> columns, int rowCount)
    {
        var check = new UniqueCheck(new UniqueRule { Columns = [.. columns.Select(c => c.Name)] }, columns, rowCount, 1);
        try
        {
            for (var phase = 0; phase < check.PreparationPhases; phase++)
            {
                for (var item = 0; item < check.PreparationItems(phase); item++) check.Prepare(phase, item);
            }
            var tally = new Tally(0);
            for (var item = 0; item < check.Items; item++) check.Run(item, tally);
            return (tally.Failing, tally.Checked);
        }
        finally
        {
            check.Release();
        }
    }

    public override void Prepare(int phase, int item)
    {
        var start = item * RowCheck.ChunkRows;
        var end = Math.Min(_rowCount, start + RowCheck.ChunkRows);
        if (phase == 0) HashChunk(item, start, end);
        else ScatterChunk(item, start, end);
    }

    public override void Run(int item, Tally tally)
    {
        var starts = _bucketStarts!;
        var rows = _sortedRows!;
        var hashes = _sortedHashes!;
        var firstBucket = item << _blockBits;
        var lastBucket = firstBucket + (1 << _blockBits);
        var largest = 0;
        for (var b = firstBucket; b < lastBucket; b++) largest = Math.Max(largest, starts[b + 1] - starts[b]);
        var slots = ArrayPool<int>.Shared.Rent((int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, largest * 2)));
        try
        {
            for (var b = firstBucket; b < lastBucket; b++)
            {
                int from = starts[b], to = starts[b + 1];
                if (to == from) continue;
                tally.Checked += to - from;
                var capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, (to - from) * 2));
                var shift = 64 - BitOperations.Log2((uint)capacity);
                var table = slots.AsSpan(0, capacity);
                table.Fill(-1);
                for (var i = from; i < to; i++)
                {
                    var hash = hashes[i];
                    var slot = (int)(hash >> shift);
                    while (true)
                    {
                        var other = table[slot];
                        if (other < 0)
                        {
                            table[slot] = i;
                            break;
                        }
                        if (hashes[other] == hash && SameKey(rows[i], rows[other]))
                        {
                            tally.FailOutOfOrder(rows[i]);
                            break;
                        }
                        slot = (slot + 1) & (capacity - 1);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(slots);
        }
    }

    public override void Release()
    {
        if (_hashes is not null) ArrayPool<ulong>.Shared.Return(_hashes);
        if (_sortedRows is not null) ArrayPool<int>.Shared.Return(_sortedRows);
        if (_sortedHashes is not null) ArrayPool<ulong>.Shared.Return(_sortedHashes);
        if (_skip is not null) ArrayPool<bool>.Shared.Return(_skip);
        _hashes = _sortedHashes = null;
        _sortedRows = null;
        _skip = null;
    }

    protected override string Describe(Tally total)
    {
        var key = CheckText.Columns([.. _columns.Select(c => c.Name)]);
        return total.Failing == 0
            ? $"{key} is unique over {Count(total.Checked)} rows"
            : $"{Count(total.Failing)} {(total.Failing == 1 ? "row repeats" : "rows repeat")} the {key} of an earlier row";
    }

    private void HashChunk(int chunk, int start, int end)
    {
        var hashes = _hashes.AsSpan(start, end - start);
        var skip = _skip is null ? default : _skip.AsSpan(start, end - start);
        hashes.Clear();
        skip.Clear();
        foreach (var column in _columns)
        {
            var nulls = column.NullMask[start..end];
            switch (column.Type)
            {
                case ColumnType.Integer or ColumnType.Timestamp:
                    var integers = column.Int64Values[start..end];
                    for (var i = 0; i < hashes.Length; i++) hashes[i] = Combine(hashes[i], (ulong)integers[i]);
                    break;
                case ColumnType.Decimal:
                    var doubles = column.DoubleValues[start..end];
                    for (var i = 0; i < hashes.Length; i++) hashes[i] = Combine(hashes[i], (ulong)BitConverter.DoubleToInt64Bits(doubles[i] == 0 ? 0d : doubles[i]));
                    break;
                case ColumnType.Categorical:
                    for (var i = 0; i < hashes.Length; i++) hashes[i] = Combine(hashes[i], (ulong)column.GetCategoryCode(start + i));
                    break;
                case ColumnType.Boolean:
                    for (var i = 0; i < hashes.Length; i++) hashes[i] = Combine(hashes[i], column.GetBoolean(start + i) ? 1UL : 2UL);
                    break;
                default:
                    for (var i = 0; i < hashes.Length; i++) hashes[i] = Combine(hashes[i], nulls[i] ? 0 : (ulong)(uint)column.GetString(start + i).GetHashCode());
                    break;
            }
            if (column.NullCount == 0) continue;
            for (var i = 0; i < hashes.Length; i++) skip[i] |= nulls[i];
        }
        var counts = new int[Buckets];
        var bucketMask = (ulong)(Buckets - 1);
        for (var i = 0; i < hashes.Length; i++)
        {
            var hash = Finish(hashes[i]);
            hashes[i] = hash;
            if (skip.IsEmpty || !skip[i]) counts[(int)(hash & bucketMask)]++;
        }
        _chunkCounts[chunk] = counts;
    }

    private void ScatterChunk(int chunk, int start, int end)
    {
        var offsets = Offsets()[chunk];
        var bucketMask = (ulong)(Buckets - 1);
        var hashes = _hashes!;
        var rows = _sortedRows!;
        var sorted = _sortedHashes!;
        for (var row = start; row < end; row++)
        {
            if (_skip is not null && _skip[row]) continue;
            var hash = hashes[row];
            var at = offsets[(int)(hash & bucketMask)]++;
            rows[at] = row;
            sorted[at] = hash;
        }
    }

    /// <summary>Where each chunk's rows of each bucket go: buckets in order, and chunks in row order within a bucket.</summary>
    private int[][] Offsets()
    {
        lock (_offsetsLock)
        {
            if (_chunkOffsets is not null) return _chunkOffsets;
            var starts = new int[Buckets + 1];
            for (var b = 0; b < Buckets; b++)
            {
                var total = 0;
                for (var c = 0; c < _chunks; c++) total += _chunkCounts[c][b];
                starts[b + 1] = starts[b] + total;
            }
            var offsets = new int[_chunks][];
            for (var c = 0; c < _chunks; c++) offsets[c] = new int[Buckets];
            for (var b = 0; b < Buckets; b++)
            {
                var at = starts[b];
                for (var c = 0; c < _chunks; c++)
                {
                    offsets[c][b] = at;
                    at += _chunkCounts[c][b];
                }
            }
            _bucketStarts = starts;
            return _chunkOffsets = offsets;
        }
    }

    private bool SameKey(int a, int b)
    {
        foreach (var column in _columns)
        {
            var same = column.Type switch
            {
                ColumnType.Integer or ColumnType.Timestamp => column.Int64Values[a] == column.Int64Values[b],
                ColumnType.Decimal => column.DoubleValues[a] == column.DoubleValues[b],
                ColumnType.Boolean => column.GetBoolean(a) == column.GetBoolean(b),
                ColumnType.Categorical => column.GetCategoryCode(a) == column.GetCategoryCode(b),
                _ => string.Equals(column.GetString(a), column.GetString(b), StringComparison.Ordinal),
            };
            if (!same) return false;
        }
        return true;
    }

    private static ulong Combine(ulong hash, ulong value) => BitOperations.RotateLeft((hash ^ value) * Golden, 29);

    /// <summary>Murmur3's 64-bit finaliser: every input bit affects every output bit, so low bits pick buckets and high bits slots.</summary>
    private static ulong Finish(ulong hash)
    {
        hash ^= hash >> 33;
        hash *= 0xFF51AFD7ED558CCDUL;
        hash ^= hash >> 33;
        hash *= 0xC4CEB9FE1A85EC53UL;
        hash ^= hash >> 33;
        return hash;
    }
}
