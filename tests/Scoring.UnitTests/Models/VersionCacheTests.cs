using Vigil.Scoring.Models;

namespace Vigil.Scoring.UnitTests.Models;

public sealed class VersionCacheTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 3, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private readonly ManualClock _clock = new();
    private readonly List<string> _released = [];

    private VersionCache<int, string> Cache(int capacity, int idleMinutes = 30) =>
        new(capacity, TimeSpan.FromMinutes(idleMinutes), _clock, _released.Add);

    [Fact]
    public void Holds_no_more_than_its_capacity_and_releases_the_least_recently_used_first()
    {
        var cache = Cache(capacity: 2);
        cache.Set(1, "v1");
        cache.Set(2, "v2");
        Assert.True(cache.TryGet(1, out _));
        cache.Set(3, "v3");

        Assert.Equal(2, cache.Count);
        Assert.Equal(["v2"], _released);
        Assert.False(cache.TryGet(2, out _));
        Assert.True(cache.TryGet(1, out var one));
        Assert.Equal("v1", one);
    }

    [Fact]
    public void Releases_a_version_left_unused_for_longer_than_the_idle_limit()
    {
        var cache = Cache(capacity: 8, idleMinutes: 30);
        cache.Set(1, "v1");
        cache.Set(2, "v2");
        _clock.Now += TimeSpan.FromMinutes(20);
        Assert.True(cache.TryGet(2, out _));
        _clock.Now += TimeSpan.FromMinutes(15);

        cache.Trim();

        Assert.Equal(["v1"], _released);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void Replacing_a_value_releases_the_old_one_but_setting_the_same_value_again_does_not()
    {
        var cache = Cache(capacity: 4);
        cache.Set(1, "first");
        cache.Set(1, "first");
        Assert.Empty(_released);

        cache.Set(1, "second");

        Assert.Equal(["first"], _released);
        Assert.True(cache.TryGet(1, out var value));
        Assert.Equal("second", value);
    }

    [Fact]
    public void Creates_once_per_key_and_runs_the_use_callback_on_every_lookup()
    {
        var cache = Cache(capacity: 4);
        var created = 0;
        var uses = 0;
        for (var i = 0; i < 3; i++) cache.GetOrAdd(7, key => $"v{key}#{++created}", _ => uses++);

        Assert.Equal(1, created);
        Assert.Equal(3, uses);
        Assert.Equal("v7#1", cache.GetOrAdd(7, _ => "other"));
    }

    [Fact]
    public void Removing_a_datasets_versions_releases_each_of_them()
    {
        var cache = new VersionCache<(string, int), string>(8, TimeSpan.FromHours(1), _clock, _released.Add);
        cache.Set(("a", 1), "a1");
        cache.Set(("a", 2), "a2");
        cache.Set(("b", 1), "b1");

        cache.RemoveWhere(key => key.Item1 == "a");

        Assert.Equal(["a1", "a2"], _released.Order());
        Assert.Equal(1, cache.Count);
    }
}
