using MassTransit;
using Vigil.Contracts;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Pipeline;

[Collection(VigilAppCollection.Name)]
public sealed class StageFailureTests(VigilAppFixture fixture)
{
    [Fact]
    public async Task A_stage_that_keeps_throwing_fails_the_run_instead_of_dropping_it()
    {
        // A BatchIngested whose raw object does not exist: validation throws on every retry.
        var runId = Guid.CreateVersion7();
        await fixture.RegisterDatasetAsync("tests.missing_object");
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(new Uri(fixture.GetConnectionString("rabbitmq"))));
        await bus.StartAsync();
        try
        {
            await bus.Publish(new BatchIngested
            {
                RunId = runId,
                Dataset = "tests.missing_object",
                ExecutionDate = new DateOnly(2026, 11, 20),
                ObjectKey = $"raw/tests.missing_object/2026-11-20/{runId}.csv",
                ContentType = "text/csv",
                SizeBytes = 10,
                ContentSha256 = new string('0', 64),
                Timing = new StageTiming(Stages.Ingest, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow),
            });
        }
        finally
        {
            await bus.StopAsync();
        }

        var run = await fixture.Api.WaitForRunAsync(runId);

        Assert.Equal("failed", run.Status);
        var failure = run.Failure!;
        Assert.Equal("validate", failure.Stage);
        Assert.Contains("failed after retries", failure.Reason);
    }
}
