namespace Vigil.Scoring.Models;

/// <summary>
/// After a large batch, or a training on large batches, gives back what it took: a full, compacting collection (the
/// batch's tables, features and report buffers are garbage by then, most of them on the large object heap, which the
/// collector otherwise keeps until its own budget runs out) and glibc's free pages (what ONNX Runtime freed). The next
/// batch then starts from the service's own size instead of the last batch's or the training's high-water mark.
/// </summary>
internal static class BatchMemory
{
    /// <summary>Below this many rows a batch leaves too little behind to be worth a full collection.</summary>
    public const int ReleaseFromRows = 100_000;

    public static void ReleaseAfter(long rows)
    {
        if (rows < ReleaseFromRows) return;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        NativeHeap.Trim();
    }
}
