using Vigil.Scoring.Lifecycle;

namespace Vigil.Scoring.UnitTests.Lifecycle;

public sealed class ScoringTimingsTests
{
    private static async Task ScoreAsync(int version, TimeSpan elapsed)
    {
        await Task.Yield();
        ScoringTimings.Active?.Record(version, elapsed);
    }

    [Fact]
    public async Task Scorings_awaited_inside_a_collection_are_recorded_per_version_and_summed()
    {
        using (var timings = ScoringTimings.Begin())
        {
            await ScoreAsync(1, TimeSpan.FromMilliseconds(30));
            await ScoreAsync(2, TimeSpan.FromMilliseconds(5));
            await ScoreAsync(1, TimeSpan.FromMilliseconds(12));

            Assert.Equal(42, timings.Milliseconds(1)!.Value, precision: 6);
            Assert.Equal(5, timings.Milliseconds(2)!.Value, precision: 6);
            Assert.Null(timings.Milliseconds(3));
        }
        Assert.Null(ScoringTimings.Active);
    }

    [Fact]
    public async Task Two_batches_in_parallel_keep_their_own_timings()
    {
        async Task<double?> Batch(int version, int milliseconds)
        {
            await Task.Yield();
            using var timings = ScoringTimings.Begin();
            await ScoreAsync(version, TimeSpan.FromMilliseconds(milliseconds));
            await Task.Delay(10);
            return timings.Milliseconds(version) is { } ms && timings.Milliseconds(version == 1 ? 2 : 1) is null ? ms : null;
        }

        var results = await Task.WhenAll(Batch(1, 100), Batch(2, 7));

        Assert.Equal([100.0, 7.0], results.Select(r => r!.Value));
    }
}
