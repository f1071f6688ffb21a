using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Vigil.Tabular.Tables;

/// <summary>
/// Hands records to column builders, on worker threads once there is enough to be worth it: the caller (parsing)
/// copies each record's fields into a block; full blocks go to every worker, and each worker adds its own columns'
/// values. Parsing and building then overlap, and the columns are built side by side.
/// </summary>
/// <remarks>
/// Memory stays bounded: a small fixed number of blocks circulates, and the caller waits for a free one when the
/// workers fall behind. A batch that fits in the first block is built on the caller's thread with no worker started.
/// The first exception a worker meets is rethrown by <see cref="Complete"/> (or the next <see cref="EndRecord"/>);
/// <see cref="Dispose"/> stops the workers whatever happened.
/// </remarks>
internal sealed class ColumnFeeder : IDisposable
{
    internal const int DefaultBlockChars = 128 * 1024;
    private const int BlocksInFlight = 4;

    private readonly ColumnBuilder[] _builders;
    private readonly int _workerCount;
    private readonly int _blockChars;
    private readonly BlockingCollection<Block> _free = new();
    private BlockingCollection<Block>[] _queues = [];
    private Thread[] _threads = [];
    private Block _current;
    private int _blocks = 1;
    private ExceptionDispatchInfo? _failure;
    private volatile bool _failed;

    /// <param name="workers">Worker threads to build on (at most one per column); 0 builds on the caller's thread.</param>
    /// <param name="blockChars">The chars a block holds before it is handed on.</param>
    public ColumnFeeder(ColumnBuilder[] builders, int workers, int blockChars = DefaultBlockChars)
    {
        _builders = builders;
        _workerCount = Math.Min(workers, builders.Length);
        _blockChars = blockChars;
        _current = new Block(blockChars, builders.Length);
    }

    /// <summary>The worker count for this machine: one per core, at most four (parsing stays on one thread).</summary>
    public static int DefaultWorkers => Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>Appends one field of the record being added; fields come in column order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddField(ReadOnlySpan<char> field)
    {
        var block = _current;
        if (block.CharCount + field.Length > block.Chars.Length) block.Grow(field.Length);
        field.CopyTo(block.Chars.AsSpan(block.CharCount));
        block.CharCount += field.Length;
        block.Ends[block.EndCount++] = block.CharCount;
    }

    /// <summary>Ends the record being added.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void EndRecord()
    {
        var block = _current;
        block.Records++;
        if (block.CharCount >= _blockChars || block.Records == block.MaxRecords) Submit();
    }

    /// <summary>Adds what is left, waits for the workers, and rethrows the first exception one of them met.</summary>
    public void Complete()
    {
        if (_threads.Length == 0)
        {
            Build(_current, 0, 1);
            _current.Reset();
            return;
        }

        if (_current.Records > 0) Submit();
        foreach (var queue in _queues) queue.CompleteAdding();
        foreach (var thread in _threads) thread.Join();
        _failure?.Throw();
    }

    public void Dispose()
    {
        foreach (var queue in _queues)
        {
            if (!queue.IsAddingCompleted) queue.CompleteAdding();
        }
        _failed = true; // workers skip what is still queued
        foreach (var thread in _threads) thread.Join();
        foreach (var queue in _queues) queue.Dispose();
        _free.Dispose();
    }

    private void Submit()
    {
        if (_workerCount == 0)
        {
            Build(_current, 0, 1);
            _current.Reset();
            return;
        }

        if (_threads.Length == 0) StartWorkers();
        if (_failed) _failure?.Throw();

        var block = _current;
        block.Pending = _workerCount;
        foreach (var queue in _queues) queue.Add(block);

        if (_free.TryTake(out var next)) { }
        else if (_blocks < BlocksInFlight)
        {
            next = new Block(_blockChars, _builders.Length);
            _blocks++;
        }
        else
        {
            next = _free.Take();
        }
        if (_failed) _failure?.Throw();
        _current = next;
    }

    private void StartWorkers()
    {
        _queues = new BlockingCollection<Block>[_workerCount];
        _threads = new Thread[_workerCount];
        for (var w = 0; w < _workerCount; w++)
        {
            var queue = _queues[w] = new BlockingCollection<Block>();
            var first = w;
            _threads[w] = new Thread(() => Work(queue, first)) { IsBackground = true, Name = "Vigil table builder" };
        }
        foreach (var thread in _threads) thread.Start();
    }

    private void Work(BlockingCollection<Block> queue, int first)
    {
        foreach (var block in queue.GetConsumingEnumerable())
        {
            if (!_failed)
            {
                try
                {
                    Build(block, first, _workerCount);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
                    _failed = true;
                }
            }

            if (Interlocked.Decrement(ref block.Pending) == 0)
            {
                block.Reset();
                _free.Add(block);
            }
        }
    }

    /// <summary>Adds the block's values of columns <paramref name="first"/>, first + step, ... to their builders.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Build(Block block, int first, int step)
    {
        var columns = _builders.Length;
        var chars = block.Chars;
        var ends = block.Ends;
        for (var c = first; c < columns; c += step)
        {
            var builder = _builders[c];
            for (var r = 0; r < block.Records; r++)
            {
                var index = r * columns + c;
                var start = index == 0 ? 0 : ends[index - 1];
                builder.Add(chars.AsSpan(start, ends[index] - start));
            }
        }
    }

    /// <summary>Records' fields back to back, and the end of each field, record after record.</summary>
    private sealed class Block(int chars, int columns)
    {
        public readonly int[] Ends = new int[Math.Max(64, chars / 8 / columns) * columns];
        public char[] Chars = new char[chars];
        public int CharCount;
        public int EndCount;
        public int Records;
        public int Pending;

        public int MaxRecords => Ends.Length / columns;

        public void Grow(int more) => Array.Resize(ref Chars, Math.Max(Chars.Length * 2, CharCount + more));

        public void Reset()
        {
            CharCount = 0;
            EndCount = 0;
            Records = 0;
        }
    }
}
