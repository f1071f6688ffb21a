using System.Net.Http.Json;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Vigil.AppHost.Hosting;
using Vigil.AppHost.Hosting.Resources;
using Vigil.AppHost.Hosting.Testing;
using Vigil.IntegrationTests.Telemetry;

namespace Vigil.IntegrationTests.Infrastructure;

/// <summary>
/// The whole application, started once for the test run from the AppHost's own declaration: real Postgres, Redis,
/// RabbitMQ and S3 (moto), every service as its own process, telemetry exported to an in-test OTLP receiver.
/// </summary>
public sealed class VigilAppFixture : IAsyncLifetime
{
    public DistributedApplication App { get; private set; } = null!;
    public OtlpReceiver Telemetry { get; private set; } = null!;
    /// <summary>The public entry, sending an API key with every scope (and a rate limit no test reaches).</summary>
    public HttpClient Gateway { get; private set; } = null!;

    /// <summary>The gateway's admin key, as the AppHost generated it for this run's data folder.</summary>
    public string AdminKey { get; private set; } = "";
    public IAmazonS3 ObjectStore { get; private set; } = null!;
    public string Bucket => "vigil";
    public const string SourcesDatabase = "vigil_sources";

    public async Task InitializeAsync()
    {
        Telemetry = await OtlpReceiver.StartAsync();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Program>();
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            project.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = Telemetry.Endpoint.ToString();
            project.Environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            project.Environment["OTEL_BSP_SCHEDULE_DELAY"] = "200";
            project.Environment["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
            // Retries exhaust quickly so the "stage gives up" test does not wait for production back-offs.
            project.Environment["Messaging__RetryIntervalsMs__0"] = "100";
            project.Environment["Messaging__RetryIntervalsMs__1"] = "200";
            // Alerting sends to the in-test SMTP receiver, retries quickly and scans for stuck runs every half second.
            if (project.Name == "alerting") Alerting.AlertingEnvironment.Configure(project.Environment);
        }
        // A second database on the same server, which datasets can be pulled from (PullTests).
        builder.Resources.OfType<ProjectResource>().Single(p => p.Name == "ingest").Environment["Ingest__Connections__sources"] = $"Database={SourcesDatabase}";
        App = builder.Build();
        try
        {
            await App.StartAsync();
        }
        catch
        {
            await App.DisposeAsync();
            throw;
        }

        AdminKey = App.Resource<ProjectResource>("gateway").GetSecret("Gateway__AdminKey");
        var allScopes = await CreateApiKeyAsync("integration tests", ["ingest", "read", "admin"], new { capacity = 1_000_000, refillPerSecond = 100_000 });
        Gateway = CreateGatewayClient(allScopes.Key);
        ObjectStore = CreateS3Client(App.GetConnectionString("objectstore"));
    }

    /// <summary>A client of the gateway that sends <paramref name="apiKey"/> in X-Api-Key (none when null).</summary>
    public HttpClient CreateGatewayClient(string? apiKey)
    {
        var client = new HttpClient { BaseAddress = App.GetEndpoint("gateway"), Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null) client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    /// <summary>Creates an API key through the admin endpoint, with the admin key; <paramref name="rateLimit"/> as {capacity, refillPerSecond}.</summary>
    public async Task<(string Id, string Key)> CreateApiKeyAsync(string name, string[] scopes, object? rateLimit = null)
    {
        using var admin = CreateGatewayClient(AdminKey);
        using var response = await admin.PostAsJsonAsync("/api/admin/keys", new { name, scopes, rateLimit });
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"Creating API key {name} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (created.GetProperty("id").GetString()!, created.GetProperty("key").GetString()!);
    }

    /// <summary>Registers (or updates) a dataset through the gateway; <paramref name="definition"/> is merged over a minimal one.</summary>
    public async Task RegisterDatasetAsync(string name, object? definition = null)
    {
        var body = JsonSerializer.SerializeToNode(definition ?? new { keyColumns = new[] { "transaction_id" } })!.AsObject();
        body["name"] = name;
        if (!body.ContainsKey("keyColumns")) body["keyColumns"] = new System.Text.Json.Nodes.JsonArray("transaction_id");
        using var response = await Gateway.PostAsJsonAsync("/api/datasets", body);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"Registering {name} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// Polls GET /api/runs/{id} through the gateway until the run is completed or failed; a completed one also until
    /// its validation summary is there, unless <paramref name="withValidation"/> is false (a run that never was validated).
    /// </summary>
    public async Task<JsonElement> WaitForRunToEndAsync(Guid runId, TimeSpan? timeout = null, bool withValidation = true)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        JsonElement? last = null;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await Gateway.GetAsync($"/api/runs/{runId}");
            if (response.IsSuccessStatusCode)
            {
                var run = await response.Content.ReadFromJsonAsync<JsonElement>();
                last = run;
                // Lineage hears each stage on its own queue, so a scored run can be seen completed a moment before its
                // validation summary lands: a completed run is waited for until that summary is there too.
                var status = run.GetProperty("status").GetString();
                if (status == "failed" || (status == "completed" && (!withValidation || run.TryGetProperty("validation", out var validation) && validation.ValueKind == JsonValueKind.Object)))
                    return run;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Run {runId} did not end in time; last seen: {last?.ToString() ?? "never"}");
    }

    private static AmazonS3Client CreateS3Client(string connectionString)
    {
        var parts = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return new AmazonS3Client(
            new BasicAWSCredentials((string)parts["AccessKey"], (string)parts["SecretKey"]),
            new AmazonS3Config { ServiceURL = (string)parts["Endpoint"], ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
    }

    public async Task DisposeAsync()
    {
        Gateway?.Dispose();
        ObjectStore?.Dispose();
        if (App is not null) await App.DisposeAsync();
        if (Telemetry is not null) await Telemetry.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class VigilAppCollection : ICollectionFixture<VigilAppFixture>
{
    public const string Name = "Vigil application";
}
