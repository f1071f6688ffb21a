using Vigil.ServiceDefaults.Messaging;

namespace Vigil.ServiceDefaults.UnitTests.Messaging;

public sealed class BoundedBrokerCallTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task A_call_that_ignores_its_token_is_abandoned_with_a_transient_timeout()
    {
        var never = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var failure = await Assert.ThrowsAsync<TimeoutException>(() => BoundedBrokerCall.RunAsync(_ => never.Task, Short, "BatchScored", CancellationToken.None));

        Assert.Contains("BatchScored", failure.Message, StringComparison.Ordinal);
        Assert.True(TransientFailures.IsTransient(failure));
        Assert.False(never.Task.IsCompleted);
    }

    [Fact]
    public async Task A_call_that_honours_its_token_sees_it_cancelled_at_the_limit()
    {
        // The call's own handler may run a moment after the bound gives up on it (it is abandoned, not awaited): wait for it.
        var sawCancellation = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await Assert.ThrowsAsync<TimeoutException>(() => BoundedBrokerCall.RunAsync(async token =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                sawCancellation.SetResult();
                throw;
            }
        }, Short, "RunFailed", CancellationToken.None));

        await sawCancellation.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Cancelled_by_the_caller_it_is_a_cancellation_not_a_timeout()
    {
        using var caller = new CancellationTokenSource();
        var never = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = BoundedBrokerCall.RunAsync(_ => never.Task, TimeSpan.FromMinutes(5), "BatchValidated", caller.Token);
        await caller.CancelAsync();

        var failure = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.IsNotType<TimeoutException>(failure);
    }

    [Fact]
    public async Task A_call_within_the_limit_returns_its_result_and_its_own_failure_unchanged()
    {
        Assert.Equal(42, await BoundedBrokerCall.RunAsync(_ => Task.FromResult(42), TimeSpan.FromSeconds(5), "a question", CancellationToken.None));

        var own = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            BoundedBrokerCall.RunAsync(_ => Task.FromException(new InvalidOperationException("refused")), TimeSpan.FromSeconds(5), "x", CancellationToken.None));
        Assert.Equal("refused", own.Message);
    }
}
