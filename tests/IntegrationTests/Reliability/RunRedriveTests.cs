using Npgsql;
using RabbitMQ.Client;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Reliability;

/// <summary>
/// A run whose message is lost on the way (here: purged from Validation's queue before anyone read it) does not stay
/// open: Ingest announces it again once it has been silent long enough, it completes, and its ingest stage says so.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class RunRedriveTests(VigilAppFixture fixture)
{
    private const string ValidationQueue = "validation-batch-ingested";

    private readonly ReliabilityClient _client = new(fixture);

    [Fact]
    public async Task A_run_whose_message_was_lost_is_announced_again_and_completes_with_the_redrive_on_its_ingest_stage()
    {
        var dataset = ReliabilityClient.NewDataset();
        await _client.RegisterAsync(dataset);
        // A first batch while Validation is up gives Ingest its own copy of the dataset to accept from while it is down.
        await fixture.Api.WaitForRunAsync((await fixture.Api.SubmitCsvAsync(dataset, ReliabilityClient.Csv(12, seed: 299))).RunId);

        Guid runId;
        uint purged;
        await fixture.StopResourceAsync("validation");
        try
        {
            runId = (await fixture.Api.SubmitCsvAsync(dataset, ReliabilityClient.Csv(12, seed: 300))).RunId;
            purged = await PurgeOnceArrivedAsync(ValidationQueue, TimeSpan.FromSeconds(30));
        }
        finally
        {
            await fixture.StartResourceAsync("validation");
        }
        Assert.True(purged >= 1, "the announcement never reached Validation's queue");

        // The redriver waits for minutes of silence; the run's clock is set back instead of waiting them out.
        await using (var connection = new NpgsqlConnection(fixture.GetConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var backdate = new NpgsqlCommand("UPDATE ingest.runs SET created_at = created_at - interval '1 hour' WHERE run_id = $1", connection);
            backdate.Parameters.Add(new() { Value = runId });
            Assert.Equal(1, await backdate.ExecuteNonQueryAsync());
        }

        var run = await fixture.Api.WaitForRunAsync(runId, TimeSpan.FromSeconds(120));
        Assert.Equal("completed", run.Status);
        Assert.Contains("redrive 1", run.Stage("ingest").Detail);
        Assert.Equal(1, await RedrivesAsync(runId));
    }

    [Fact]
    public async Task A_run_that_completed_is_never_announced_again()
    {
        var dataset = ReliabilityClient.NewDataset();
        await _client.RegisterAsync(dataset);
        var runId = (await fixture.Api.SubmitCsvAsync(dataset, ReliabilityClient.Csv(12, seed: 301))).RunId;
        Assert.Equal("completed", (await fixture.Api.WaitForRunAsync(runId)).Status);

        // However old it looks, a run Ingest has heard the end of is left alone.
        await using (var connection = new NpgsqlConnection(fixture.GetConnectionString("postgres")))
        {
            await connection.OpenAsync();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (await EndedAsync(connection, runId) is false && DateTime.UtcNow < deadline) await Task.Delay(200);
            Assert.True(await EndedAsync(connection, runId), "Ingest never heard that the run ended");
            await using var backdate = new NpgsqlCommand("UPDATE ingest.runs SET created_at = created_at - interval '1 hour', progress_at = NULL WHERE run_id = $1", connection);
            backdate.Parameters.Add(new() { Value = runId });
            await backdate.ExecuteNonQueryAsync();
        }
        await Task.Delay(TimeSpan.FromSeconds(5)); // several of the test application's 1 s scans
        Assert.Equal(0, await RedrivesAsync(runId));
    }

    private async Task<uint> PurgeOnceArrivedAsync(string queue, TimeSpan within)
    {
        var factory = new ConnectionFactory { Uri = new Uri(fixture.GetConnectionString("rabbitmq")) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if ((await channel.QueueDeclarePassiveAsync(queue)).MessageCount > 0) return await channel.QueuePurgeAsync(queue);
            await Task.Delay(100);
        }
        return 0;
    }

    private static async Task<bool> EndedAsync(NpgsqlConnection connection, Guid runId)
    {
        await using var command = new NpgsqlCommand("SELECT ended_at IS NOT NULL FROM ingest.runs WHERE run_id = $1", connection);
        command.Parameters.Add(new() { Value = runId });
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private async Task<int> RedrivesAsync(Guid runId)
    {
        await using var connection = new NpgsqlConnection(fixture.GetConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT redrives FROM ingest.runs WHERE run_id = $1", connection);
        command.Parameters.Add(new() { Value = runId });
        return (int)(await command.ExecuteScalarAsync())!;
    }
}
