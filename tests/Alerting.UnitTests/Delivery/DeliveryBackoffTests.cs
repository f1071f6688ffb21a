using Vigil.Alerting.Delivery;

namespace Vigil.Alerting.UnitTests.Delivery;

public sealed class DeliveryBackoffTests
{
    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(4, 40)]
    [InlineData(7, 300)]
    [InlineData(60, 300)]
    public void Delay_doubles_from_the_first_retry_delay_up_to_the_maximum(int attempt, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), DeliveryBackoff.Delay(attempt, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5)));

    [Fact]
    public void Attempts_are_counted_from_one() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DeliveryBackoff.Delay(0, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));

    [Fact]
    public async Task Signal_wakes_a_waiting_worker_before_its_poll_interval()
    {
        var signal = new DeliverySignal();
        var started = System.Diagnostics.Stopwatch.StartNew();

        var waiting = signal.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        signal.Notify();
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Signal_wait_ends_at_its_timeout_without_a_notification()
    {
        var signal = new DeliverySignal();
        var started = System.Diagnostics.Stopwatch.StartNew();

        await signal.WaitAsync(TimeSpan.FromMilliseconds(100), CancellationToken.None);

        Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(90), TimeSpan.FromSeconds(10));
    }
}
