using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MassTransit;
using Vigil.Contracts;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Alerting;

/// <summary>What the alerting tests do through the gateway and the bus: policies, batches, crafted events, alert lists.</summary>
internal sealed class AlertsClient(VigilAppFixture fixture)
{
    public const string Gpu = "NVIDIA H100 80GB HBM3 (79.6 GiB, CUDA)";

    public static string NewDataset() => $"tests.alerts_{Guid.NewGuid():n}"[..32];

    /// <summary>Registers a policy through the gateway and returns it as the API answered (201 Created).</summary>
    public async Task<JsonElement> CreatePolicyAsync(object policy)
    {
        using var response = await fixture.Gateway.PostAsJsonAsync("/api/alerts/policies", policy);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<IReadOnlyList<JsonElement>> ListAsync(string dataset, string? status = null)
    {
        var query = $"/api/alerts?dataset={dataset}" + (status is null ? "" : $"&status={status}");
        using var response = await fixture.Gateway.GetAsync(query);
        Assert.True(response.IsSuccessStatusCode, $"{query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()];
    }

    /// <summary>Polls GET /api/alerts?dataset= until <paramref name="done"/> holds for the list.</summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForAlertsAsync(string dataset, Func<IReadOnlyList<JsonElement>, bool> done, TimeSpan? timeout = null) =>
        [.. (await fixture.Api.PollAsync($"/api/alerts?dataset={dataset}", alerts => done([.. alerts.EnumerateArray()]), timeout)).EnumerateArray()];

    /// <summary>Publishes events on the bus, as the stages would.</summary>
    public Task PublishAsync<T>(params T[] messages) where T : class =>
        WithBusAsync(async bus =>
        {
            foreach (var message in messages) await bus.Publish(message);
        });

    /// <summary>Sends an event to one queue only (e.g. <c>alerting-batch-ingested</c>), so no other service sees it.</summary>
    public Task SendAsync<T>(string queue, T message) where T : class =>
        WithBusAsync(async bus => await (await bus.GetSendEndpoint(new Uri($"queue:{queue}"))).Send(message));

    private async Task WithBusAsync(Func<IBusControl, Task> use)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(new Uri(fixture.GetConnectionString("rabbitmq"))));
        await bus.StartAsync();
        try
        {
            await use(bus);
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    /// <summary>A scored batch as a real scorer would report it: 500 records, 40 anomalous, 3 blocked, drifted features, on a GPU.</summary>
    public static BatchScored Scored(string dataset, Guid? runId = null) => new()
    {
        RunId = runId ?? Guid.CreateVersion7(),
        Dataset = dataset,
        ExecutionDate = new DateOnly(2026, 11, 20),
        RowCount = 500,
        AnomalyCount = 40,
        DecisionCounts = new Dictionary<string, long> { [Decisions.Approve] = 460, [Decisions.Review] = 37, [Decisions.Block] = 3 },
        TopAnomalies =
        [
            new ScoredAnomaly(17, new Dictionary<string, string?> { ["transaction_id"] = "t-0017" }, 88.4, Decisions.Review, ["velocity_1h"]),
            new ScoredAnomaly(42, new Dictionary<string, string?> { ["transaction_id"] = "t-0042" }, 97.2, Decisions.Block, ["amount", "amount_vs_entity_mean"]),
            new ScoredAnomaly(301, new Dictionary<string, string?> { ["transaction_id"] = "t-0301" }, 93.0, Decisions.Block, ["hour_of_day", "amount"]),
        ],
        FeatureDrift = new Dictionary<string, double> { ["amount"] = 0.41, ["velocity_1h"] = 0.3, ["hour_of_day"] = 0.02 },
        DqScore = 93.5,
        ReportKeys = new Dictionary<string, string> { [ReportKinds.Validation] = $"reports/{dataset}/validation.json" },
        ReportKey = $"reports/{dataset}/anomalies.json",
        ModelVersion = "v7",
        Device = Gpu,
        Timing = new StageTiming(Stages.Score, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 500),
    };

    public static BatchIngested Ingested(string dataset, Guid runId) => new()
    {
        RunId = runId,
        Dataset = dataset,
        ExecutionDate = new DateOnly(2026, 11, 22),
        ObjectKey = $"raw/{dataset}/2026-11-22/{runId}.csv",
        ContentType = "text/csv",
        SizeBytes = 10,
        ContentSha256 = new string('0', 64),
        Timing = new StageTiming(Stages.Ingest, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow),
    };

    public static string Link(Guid runId, string kind) => $"{AlertingEnvironment.PublicBaseUrl}/api/runs/{runId}/reports/{kind}";
}
