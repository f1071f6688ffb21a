namespace Vigil.ServiceDefaults.Memory;

/// <summary>
/// Gives back what batches and trainings took once the service has gone quiet: a full, compacting collection (the batch's
/// tables, features and buffers are garbage by then, most of them on the large object heap, which the collector keeps
/// until its own budget runs out) and glibc's free pages (what ONNX Runtime freed).
/// </summary>
/// <remarks>
/// Not straight after each batch: batches that follow one another would then each fault their memory back in, page by
/// page (17-20 % of Scoring's CPU per 600,000-row batch, perf in docs/platform-benchmark.md), and pay for a blocking
/// collection on the run's path. Every batch and training restarts the wait, small ones too (a day of small batches
/// adds up: a soak of 20,000-row batches and trainings kept Scoring at about 900 MiB), so a busy service keeps its
/// working set and an idle one returns to its own size with one collection. A large training's high-water mark is also
/// released at once (<see cref="ReleaseNow"/>): no batch follows it at once.
/// </remarks>
public sealed class IdleMemoryRelease : IDisposable
{
    /// <summary>Below this many rows a training leaves too little behind to be worth a full collection straight after it.</summary>
    public const int ReleaseFromRows = 100_000;

    private readonly ITimer _timer;
    private readonly TimeSpan _idle;
    private int _releases;

    public IdleMemoryRelease(TimeSpan idle, TimeProvider time)
    {
        _idle = idle;
        _timer = time.CreateTimer(_ => Release(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>How many times the wait ran out and memory was given back.</summary>
    public int Releases => Volatile.Read(ref _releases);

    /// <summary>A batch or a training has finished: (re)starts the wait.</summary>
    public void AfterWork() => _timer.Change(_idle, Timeout.InfiniteTimeSpan);

    /// <summary>Gives back now, on the calling thread, what a piece of work over <paramref name="rows"/> left, when it was a large one.</summary>
    public static void ReleaseNow(long rows)
    {
        if (rows >= ReleaseFromRows) Collect();
    }

    private static void Collect()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        NativeHeap.Trim();
    }

    public void Dispose() => _timer.Dispose();

    private void Release()
    {
        Collect();
        Interlocked.Increment(ref _releases);
    }
}
