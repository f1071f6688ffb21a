using Vigil.Scoring.Models;

namespace Vigil.Scoring.UnitTests.Models;

public sealed class BatchMemoryTests
{
    [Fact]
    public void A_large_batch_is_followed_by_a_full_collection_and_a_small_one_is_not()
    {
        var before = GC.CollectionCount(GC.MaxGeneration);
        BatchMemory.ReleaseAfter(BatchMemory.ReleaseFromRows - 1);
        Assert.Equal(before, GC.CollectionCount(GC.MaxGeneration));

        BatchMemory.ReleaseAfter(BatchMemory.ReleaseFromRows);
        Assert.True(GC.CollectionCount(GC.MaxGeneration) > before);
    }
}
