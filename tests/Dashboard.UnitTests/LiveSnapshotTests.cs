using Vigil.Dashboard.Api;
using Vigil.Dashboard.ViewModels;

namespace Vigil.Dashboard.UnitTests;

public sealed class LiveSnapshotTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-03T12:00:00Z");

    private static EventAnomaly Anomaly(string? entity, double secondsAgo, double risk = 90) =>
        new(Guid.NewGuid(), 0, new Dictionary<string, string?> { ["id"] = "k" }, entity, risk, "block", ["amount"], 5, 1,
            Now.AddSeconds(-secondsAgo - 0.1), Now.AddSeconds(-secondsAgo));

    [Fact]
    public void Anomalies_fall_into_the_bucket_of_their_scoring_time()
    {
        var window = TimeSpan.FromMinutes(10); // 30 buckets of 20 s
        var snapshot = LiveSnapshot.Create("d", Now, window, [Anomaly("a", 599), Anomaly("a", 590), Anomaly("b", 5), Anomaly("c", 0), Anomaly("old", 700)],
            null, null);

        Assert.Equal(LiveSnapshot.Buckets, snapshot.BucketCounts.Count);
        Assert.Equal(2, snapshot.BucketCounts[0]);
        Assert.Equal(2, snapshot.BucketCounts[^1]);
        Assert.Equal(4, snapshot.BucketCounts.Sum());
        Assert.Equal("11:50:00", snapshot.BucketLabels[0]);
    }

    [Fact]
    public void Top_entities_are_ranked_by_anomaly_count_and_keys_stand_in_for_a_missing_entity()
    {
        var snapshot = LiveSnapshot.Create("d", Now, LiveSnapshot.DefaultWindow,
            [Anomaly("acct-2", 10), Anomaly("acct-1", 11), Anomaly("acct-2", 12), Anomaly(null, 13)], null, null);

        Assert.Equal(("acct-2", 2), snapshot.TopEntities[0]);
        Assert.Contains(("id=k", 1), snapshot.TopEntities);
        Assert.Equal(3, snapshot.TopEntities.Count);
    }

    [Fact]
    public void Recent_anomalies_are_newest_first_and_limited()
    {
        var anomalies = Enumerable.Range(0, 50).Select(i => Anomaly("e", i)).ToList();
        var snapshot = LiveSnapshot.Create("d", Now, LiveSnapshot.DefaultWindow, anomalies, null, null);

        Assert.Equal(LiveSnapshot.RecentShown, snapshot.Recent.Count);
        Assert.Equal(anomalies[0], snapshot.Recent[0]);
    }

    [Fact]
    public void Rates_come_from_the_last_minute_and_counts_from_the_window()
    {
        var snapshot = LiveSnapshot.Create("d", Now, LiveSnapshot.DefaultWindow, [Anomaly("e", 1)], new EventStats(10, 1200, 30), new EventStats(2, 120, 6));

        Assert.Equal(2.0, snapshot.EventsPerSecond);
        Assert.Equal(0.05, snapshot.AnomalyShare);
        Assert.Equal(30, snapshot.AnomaliesInWindow);
        Assert.Equal(1200, snapshot.EventsInWindow);
        Assert.Null(LiveSnapshot.Create("d", Now, LiveSnapshot.DefaultWindow, [], null, new EventStats(0, 0, 0)).AnomalyShare);
    }
}
