using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vigil.AppHost.Resources;
using Vigil.IntegrationTests.Telemetry;

namespace Vigil.IntegrationTests.Infrastructure;

/// <summary>
/// The whole application, started once for the test run by Aspire.Hosting.Testing from the AppHost itself: real
/// Postgres, Redis, RabbitMQ and S3 (the file-backed emulator), every service as its own process, the Aspire dashboard receiving their
/// telemetry (read back through its telemetry API). Data lives in a throw-away folder under .vigil/test-runs.
/// </summary>
public sealed class VigilAppFixture : IAsyncLifetime
{
    /// <summary>The application's .NET services, as the AppHost names them.</summary>
    public static readonly string[] Services = ["validation", "ingest", "scoring", "alerting", "lineage", "gateway"];

    private static readonly string[] BackingServers = ["postgres", "redis", "rabbitmq", "objectstore"];
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(6);

    private readonly Dictionary<string, string> _connectionStrings = [];
    private readonly ResourceLogTail _logs = new();
    private string _dataDirectory = "";

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>The dashboard's telemetry API: what every service exported.</summary>
    public DashboardTelemetry Telemetry { get; private set; } = null!;

    /// <summary>The dashboard's browser URL, logged in (its login token in the query string).</summary>
    public Uri DashboardLoginUrl { get; private set; } = null!;

    /// <summary>The public entry, sending an API key with every scope (and a rate limit no test reaches).</summary>
    public HttpClient Gateway { get; private set; } = null!;

    /// <summary>The typed API client over <see cref="Gateway"/> (all scopes).</summary>
    public VigilClient Api { get; private set; } = null!;

    /// <summary>The gateway's admin key, as the AppHost generated it for this run's data folder.</summary>
    public string AdminKey { get; private set; } = "";
    public IAmazonS3 ObjectStore { get; private set; } = null!;
    public string Bucket => "vigil";
    public const string SourcesDatabase = "vigil_sources";

    /// <summary>The SQLite database file Ingest may pull from as connection 'shop' (SqlitePullTests creates its tables).</summary>
    public string SqliteSourcePath { get; } = Path.Combine(Path.GetTempPath(), $"vigil-it-shop-{Guid.NewGuid():n}.sqlite");

    /// <summary>The private MariaDB server's connection string (root), or null where MariaDB is not installed (Pulls.MariaDbPullTests).</summary>
    public string? MariaDbConnectionString { get; private set; }

    /// <summary>The key Lineage signs completion callbacks with in this test run.</summary>
    public string CallbackSigningSecret { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var repositoryRoot = VigilLayout.From(new ConfigurationBuilder().Build()).RepositoryRoot;
        _dataDirectory = Path.Combine(repositoryRoot, ".vigil", "test-runs", Guid.NewGuid().ToString("n")[..12]);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<VigilLayout>(
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = true }, [$"--data-dir={_dataDirectory}"], timeout.Token);
        var dashboardApiKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        builder.Configuration["AppHost:DashboardApiKey"] = dashboardApiKey;
        builder.Configuration["ASPIRE_DASHBOARD_API_ENABLED"] = "true";
        if (Pulls.MariaDbServer.Installed) MariaDbConnectionString = Pulls.MariaDbServer.Add(builder, _dataDirectory);

        foreach (var service in builder.Resources.OfType<ExecutableResource>().Where(r => Services.Contains(r.Name)))
        {
            var environment = new Dictionary<string, string>
            {
                ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
                // Retries exhaust quickly so the "stage gives up" test does not wait for production back-offs.
                ["Messaging__RetryIntervalsMs__0"] = "100",
                ["Messaging__RetryIntervalsMs__1"] = "200",
                // Completion callbacks may reach the tests' own receivers on loopback (refused by default).
                ["Callbacks__AllowedHosts__0"] = "127.0.0.1",
            };
            // Alerting sends to the in-test SMTP receiver, retries quickly and scans for stuck runs every half second.
            if (service.Name == "alerting") Alerting.AlertingEnvironment.Configure(environment);
            // A second database on the same server, which datasets can be pulled from (PullTests).
            if (service.Name == "ingest") environment["Ingest__Connections__sources"] = $"Database={SourcesDatabase}";
            // A SQLite database file the tests fill and one that is missing (SqlitePullTests); pulls give up after 20 s.
            if (service.Name == "ingest") environment["Ingest__SqliteDatabases__shop"] = SqliteSourcePath;
            if (service.Name == "ingest") environment["Ingest__SqliteDatabases__gone"] = SqliteSourcePath + ".missing";
            if (service.Name == "ingest") environment["Ingest__PullTimeout"] = "00:00:20";
            // The redriver looks for silent runs every second (RunRedriveTests back-date a run instead of waiting 7 minutes).
            if (service.Name == "ingest") environment["Ingest__Redrive__ScanInterval"] = "00:00:01";
            // MariaDB tables the tests fill (Pulls.MariaDbPullTests); the scheduler looks for due ticks twice a second (Schedules).
            if (service.Name == "ingest" && MariaDbConnectionString is not null) environment["Ingest__MySqlConnections__shopdb"] = MariaDbConnectionString;
            if (service.Name == "ingest") environment["Ingest__Schedules__PollInterval"] = "00:00:00.5";
            // Lineage signs callbacks with this run's secret and retries them quickly (Hooks.CallbackTests).
            if (service.Name == "lineage") Hooks.CallbackEnvironment.Configure(environment, CallbackSigningSecret);
            builder.CreateResourceBuilder(service).WithEnvironment(context =>
            {
                foreach (var (key, value) in environment) context.EnvironmentVariables[key] = value;
            });
        }

        App = await builder.BuildAsync(timeout.Token);
        _logs.Watch(App.Services, Services);
        try
        {
            await App.StartAsync(timeout.Token);
            foreach (var name in Services.Concat(BackingServers))
                await App.ResourceNotifications.WaitForResourceHealthyAsync(name, timeout.Token);
        }
        catch (Exception e)
        {
            var tails = string.Join(Environment.NewLine, Services.Select(s => $"{s}: {string.Join(" | ", _logs.Recent(s).TakeLast(5))}"));
            await App.DisposeAsync();
            throw new InvalidOperationException($"The application did not start: {e.Message}{Environment.NewLine}{tails}", e);
        }

        foreach (var name in BackingServers)
            _connectionStrings[name] = await App.GetConnectionStringAsync(name, timeout.Token) ?? throw new InvalidOperationException($"{name} has no connection string.");
        DashboardLoginUrl = await App.GetDashboardUrlAsync(timeout.Token);
        Telemetry = new DashboardTelemetry(new Uri(DashboardLoginUrl.GetLeftPart(UriPartial.Authority)), dashboardApiKey);

        AdminKey = (await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "gateway", "admin-key"))).Trim();
        var allScopes = await CreateApiKeyAsync("integration tests", ["ingest", "read", "admin"], new { capacity = 1_000_000, refillPerSecond = 100_000 });
        Gateway = CreateGatewayClient(allScopes.Key);
        Api = new VigilClient(Gateway);
        ObjectStore = CreateS3Client(GetConnectionString("objectstore"));
    }

    /// <summary>A backing server's connection string (postgres, redis, rabbitmq, objectstore), as the services get it.</summary>
    public string GetConnectionString(string name) =>
        _connectionStrings.TryGetValue(name, out var value) ? value : throw new ArgumentException($"No backing server named '{name}'.");

    /// <summary>A service's own http address (behind Aspire's proxy, so it stays the same across a restart).</summary>
    public Uri GetEndpoint(string service) => App.GetEndpoint(service, "http");

    /// <summary>
    /// Stops one service and nothing else (Aspire's stop command): its dependants keep running and see it gone, as
    /// after a crash or a rolling update.
    /// </summary>
    public async Task StopResourceAsync(string name)
    {
        var result = await App.ResourceCommands.ExecuteCommandAsync(ResourceNamed(name), KnownResourceCommands.StopCommand);
        if (!result.Success) throw new InvalidOperationException($"Stopping {name} failed: {result.Message}");
        await App.ResourceNotifications.WaitForResourceAsync(name, KnownResourceStates.TerminalStates);
    }

    /// <summary>Starts a stopped service again (Aspire's start command), on the same address, and waits until it is healthy.</summary>
    public async Task StartResourceAsync(string name)
    {
        var result = await App.ResourceCommands.ExecuteCommandAsync(ResourceNamed(name), KnownResourceCommands.StartCommand);
        if (!result.Success) throw new InvalidOperationException($"Starting {name} failed: {result.Message}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await App.ResourceNotifications.WaitForResourceHealthyAsync(name, timeout.Token);
    }

    /// <summary>A service's most recent console lines (stdout and stderr), for failure messages.</summary>
    public IReadOnlyList<string> RecentLogs(string service) => _logs.Recent(service);

    private IResource ResourceNamed(string name) =>
        App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == name);

    /// <summary>A client of the gateway that sends <paramref name="apiKey"/> in X-Api-Key (none when null).</summary>
    public HttpClient CreateGatewayClient(string? apiKey)
    {
        var client = new HttpClient { BaseAddress = GetEndpoint("gateway"), Timeout = TimeSpan.FromSeconds(60) };
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
        Telemetry?.Dispose();
        _logs.Dispose();
        // Idle pooled connections of the tests' own would hold up Postgres's shutdown.
        NpgsqlConnection.ClearAllPools();
        if (App is not null) await App.DisposeAsync();
        if (_dataDirectory.Length > 0 && Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
        File.Delete(SqliteSourcePath);
    }
}

[CollectionDefinition(Name)]
public sealed class VigilAppCollection : ICollectionFixture<VigilAppFixture>
{
    public const string Name = "Vigil application";
}
