using System.Runtime.CompilerServices;
namespace Vigil.Tabular.Tables;

/// <summary>
/// An append-only list stored in fixed-size chunks, so that growing never copies what is already in and never
/// allocates more than one chunk ahead. The first chunk starts small and doubles up to the chunk size, so small
/// columns stay small. Chunks stay below the large-object threshold for every element type used here.
/// </summary>
internal sealed class ChunkedList<T>
{
    internal const int ChunkShift = 13;
    internal const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;
    private const int FirstChunkSize = 64;

    private T[][] _chunks = new T[4][];
    private int _chunkCount;
    private T[] _current = [];
    private int _position;

    public int Count { get; private set; }

    public T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
            return _chunks[index >> ChunkShift][index & ChunkMask];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(T value)
    {
        if (_position == _current.Length) Grow();
        _current[_position++] = value;
        Count++;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddRepeated(T value, int count)
    {
        while (count > 0)
        {
            if (_position == _current.Length) Grow();
            var n = Math.Min(count, _current.Length - _position);
            _current.AsSpan(_position, n).Fill(value);
            _position += n;
            Count += n;
            count -= n;
        }
    }

    /// <summary>Copies the values into one array of exactly <see cref="Count"/> elements; the list stays as it is.</summary>
    public T[] ToArray()
    {
        var result = GC.AllocateUninitializedArray<T>(Count);
        var copied = 0;
        for (var i = 0; i < _chunkCount; i++)
        {
            var n = Math.Min(_chunks[i].Length, Count - copied);
            _chunks[i].AsSpan(0, n).CopyTo(result.AsSpan(copied));
            copied += n;
        }
        return result;
    }

    /// <summary>
    /// Like <see cref="ToArray"/>, but lets go of each chunk once it is copied, so the list's memory can be reclaimed
    /// while the array fills. The list is empty afterwards.
    /// </summary>
    public T[] MoveToArray()
    {
        var result = GC.AllocateUninitializedArray<T>(Count);
        var copied = 0;
        for (var i = 0; i < _chunkCount; i++)
        {
            var n = Math.Min(_chunks[i].Length, Count - copied);
            _chunks[i].AsSpan(0, n).CopyTo(result.AsSpan(copied));
            _chunks[i] = null!;
            copied += n;
        }
        _chunks = new T[4][];
        _chunkCount = 0;
        _current = [];
        _position = 0;
        Count = 0;
        return result;
    }

    private void Grow()
    {
        if (Count > Array.MaxLength - ChunkSize)
            throw new InvalidOperationException("A column cannot hold more than about 2^31 values.");

        if (_chunkCount == 1 && _current.Length < ChunkSize)
        {
            // The first chunk doubles until it reaches the full chunk size.
            var larger = new T[_current.Length * 2];
            _current.CopyTo(larger, 0);
            _chunks[0] = _current = larger;
            return;
        }

        if (_chunkCount == _chunks.Length) Array.Resize(ref _chunks, _chunks.Length * 2);
        _current = new T[_chunkCount == 0 ? FirstChunkSize : ChunkSize];
        _chunks[_chunkCount++] = _current;
        _position = 0;
    }
}
