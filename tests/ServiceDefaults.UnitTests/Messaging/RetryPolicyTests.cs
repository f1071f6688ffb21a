using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Contracts;
using Vigil.ServiceDefaults.Messaging;

namespace Vigil.ServiceDefaults.UnitTests.Messaging;

/// <summary>The endpoint policy every service uses, on MassTransit's in-memory transport: when a run is failed, and how long failures are retried.</summary>
public sealed class RetryPolicyTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(5);
    private static readonly RetryBudget Budget = new([Short, Short], [Short, Short, Short, Short, Short]);

    [Fact]
    public async Task A_stage_that_succeeds_on_retry_publishes_no_RunFailed()
    {
        var (attempts, published) = await RunAsync(new Flaky(FailFirst: 1, () => new InvalidOperationException("first attempt")));
        Assert.Equal(2, attempts);
        Assert.Empty(published);
    }

    [Fact]
    public async Task A_stage_that_fails_every_attempt_publishes_one_RunFailed_after_the_last()
    {
        var (attempts, published) = await RunAsync(new Flaky(FailFirst: int.MaxValue, () => new InvalidOperationException("bad data")));
        Assert.Equal(1 + Budget.Intervals.Length, attempts);
        var failed = Assert.Single(published);
        Assert.Equal("validate", failed.Stage);
        Assert.Contains("bad data", failed.Reason);
    }

    [Fact]
    public async Task A_transient_failure_is_retried_past_the_budget_for_other_failures()
    {
        var failFirst = Budget.Intervals.Length + 2; // more than a non-transient failure would be given
        var (attempts, published) = await RunAsync(new Flaky(failFirst, () => new TimeoutException("server away")));
        Assert.Equal(failFirst + 1, attempts);
        Assert.Empty(published);
    }

    [Fact]
    public void Default_transient_budget_spans_several_minutes()
    {
        var budget = RetryBudget.From(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        Assert.True(budget.TransientTotal > TimeSpan.FromMinutes(5), $"only {budget.TransientTotal}");
        // No retry waits long after its server is back: recovery after an outage takes seconds, not minutes.
        Assert.All(budget.TransientIntervals, i => Assert.True(i <= TimeSpan.FromSeconds(15), $"{i}"));
        Assert.Equal(TimeSpan.FromSeconds(4.2), budget.Intervals.Aggregate(TimeSpan.Zero, (a, b) => a + b));
    }

    private static async Task<(int Attempts, IReadOnlyList<RunFailed> Published)> RunAsync(Flaky flaky)
    {
        await using var provider = new ServiceCollection()
            .AddSingleton(flaky)
            .AddMassTransitTestHarness(bus =>
            {
                bus.SetTestTimeouts(testInactivityTimeout: TimeSpan.FromMilliseconds(500));
                bus.AddConsumer<FlakyConsumer>();
                bus.AddConfigureEndpointsCallback((_, _, endpoint) => endpoint.UseVigilRetry(Budget, new RunStage("validate"), NullLoggerFactory.Instance));
            })
            .BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        await harness.Bus.Publish(new BatchIngested
        {
            RunId = Guid.NewGuid(),
            Dataset = "retry.test",
            ExecutionDate = new DateOnly(2026, 1, 1),
            ObjectKey = "raw/x.csv",
            ContentType = "text/csv",
            SizeBytes = 1,
            ContentSha256 = "00",
            Timing = new StageTiming("ingest", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow),
        });
        await harness.InactivityTask;
        var published = harness.Published.Select<RunFailed>().Select(m => m.Context.Message).ToList();
        await harness.Stop();
        return (flaky.Attempts, published);
    }

    private sealed class Flaky(int FailFirst, Func<Exception> failure)
    {
        private int _attempts;
        public int Attempts => _attempts;

        public void Attempt()
        {
            if (Interlocked.Increment(ref _attempts) <= FailFirst) throw failure();
        }
    }

    private sealed class FlakyConsumer(Flaky flaky) : IConsumer<BatchIngested>
    {
        public Task Consume(ConsumeContext<BatchIngested> context)
        {
            flaky.Attempt();
            return Task.CompletedTask;
        }
    }
}
