using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Vigil.ServiceDefaults.Memory;

namespace Vigil.ServiceDefaults.UnitTests.Memory;

public sealed class IdleMemoryReleaseTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(30);

    [Fact]
    public void What_work_left_is_released_once_the_service_has_been_idle_for_the_wait()
    {
        var time = new FakeTimeProvider();
        using var memory = new IdleMemoryRelease(Idle, time);

        memory.AfterWork();
        time.Advance(Idle - TimeSpan.FromSeconds(1));
        Assert.Equal(0, memory.Releases);

        var collections = GC.CollectionCount(GC.MaxGeneration);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, memory.Releases);
        Assert.True(GC.CollectionCount(GC.MaxGeneration) > collections);
    }

    [Fact]
    public void Batches_that_follow_one_another_postpone_the_release_to_after_the_last()
    {
        var time = new FakeTimeProvider();
        using var memory = new IdleMemoryRelease(Idle, time);

        for (var batch = 0; batch < 5; batch++)
        {
            memory.AfterWork();
            time.Advance(TimeSpan.FromSeconds(20));
        }
        Assert.Equal(0, memory.Releases);

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, memory.Releases);
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, memory.Releases);
    }

    [Fact]
    public void Nothing_is_released_before_any_work_has_finished()
    {
        var time = new FakeTimeProvider();
        using var memory = new IdleMemoryRelease(Idle, time);

        time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(0, memory.Releases);
    }

    [Fact]
    public void Releasing_now_collects_after_large_work_only()
    {
        var before = GC.CollectionCount(GC.MaxGeneration);
        IdleMemoryRelease.ReleaseNow(IdleMemoryRelease.ReleaseFromRows - 1);
        Assert.Equal(before, GC.CollectionCount(GC.MaxGeneration));

        IdleMemoryRelease.ReleaseNow(IdleMemoryRelease.ReleaseFromRows);
        Assert.True(GC.CollectionCount(GC.MaxGeneration) > before);
    }

    [Theory]
    [InlineData(null, 30)]
    [InlineData("00:00:05", 5)]
    public void The_wait_comes_from_configuration(string? configured, int seconds)
    {
        var time = new FakeTimeProvider();
        using var services = Build(configured, time);
        var memory = services.GetRequiredService<IdleMemoryRelease>();

        memory.AfterWork();
        time.Advance(TimeSpan.FromSeconds(seconds - 1));
        Assert.Equal(0, memory.Releases);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, memory.Releases);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:00:01")]
    public void A_wait_that_is_not_positive_is_refused_at_start(string configured)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => Build(configured, new FakeTimeProvider()));
        Assert.Contains("Memory:IdleRelease", refused.Message);
    }

    private static ServiceProvider Build(string? idleRelease, TimeProvider time)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Memory:IdleRelease"] = idleRelease });
        builder.Services.AddSingleton(time);
        builder.AddIdleMemoryRelease();
        return builder.Services.BuildServiceProvider();
    }
}
