using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;
using Vigil.AppHost.Resources;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.Chaos;

/// <summary>
/// A whole Vigil of the chaos run's own, started from the AppHost by Aspire.Hosting.Testing in a throw-away data
/// folder, with the services' production retry and timeout settings (nothing shortened for the test).
/// </summary>
public sealed class ChaosApp : IAsyncDisposable
{
    public static readonly string[] Services = ["validation", "ingest", "scoring", "alerting", "lineage", "gateway"];
    public static readonly string[] Resources = ["postgres", "redis", "rabbitmq", "objectstore", .. Services];

    /// <summary>As the integration tests' fixture allows: a cold start on a loaded 2-core machine takes one or two minutes.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(6);

    private readonly ResourceLogTail _logs = new();
    private string _dataDirectory = "";

    /// <summary>Every resource's whole log, one file each; kept after the run unless <see cref="DiscardLogs"/> is called.</summary>
    public string LogsDirectory { get; private set; } = "";

    public DistributedApplication App { get; private set; } = null!;
    public HttpClient Gateway { get; private set; } = null!;

    public static async Task<ChaosApp> StartAsync(CancellationToken cancellationToken)
    {
        var chaos = new ChaosApp();
        var root = VigilLayout.From(new ConfigurationBuilder().Build()).RepositoryRoot;
        var id = Guid.NewGuid().ToString("n")[..8];
        chaos._dataDirectory = Path.Combine(root, ".vigil", "test-runs", "chaos-" + id);
        chaos.LogsDirectory = Path.Combine(root, ".vigil", "test-runs", "chaos-logs-" + id);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<VigilLayout>([$"--data-dir={chaos._dataDirectory}"], cancellationToken);
        // The servers' and services' own output would bury the counts table: the run is judged by what the API shows.
        builder.Services.AddLogging(logging => logging.AddFilter("Vigil.AppHost.Resources", LogLevel.None).AddFilter("Aspire", LogLevel.Warning));
        // Each message about a run, logged with the run's id by every service: what a post-mortem greps for.
        foreach (var service in builder.Resources.Where(r => Services.Contains(r.Name)))
            service.Annotations.Add(new EnvironmentCallbackAnnotation(env => env["Logging__LogLevel__Vigil.ServiceDefaults.Messaging.RunMessageLog"] = "Debug"));
        chaos.App = await builder.BuildAsync(cancellationToken);
        chaos._logs.Watch(chaos.App.Services, Resources, chaos.LogsDirectory);
        await chaos.App.StartAsync(cancellationToken);
        await chaos.WaitUntilHealthyAsync(cancellationToken);

        var adminKey = (await File.ReadAllTextAsync(Path.Combine(chaos._dataDirectory, "gateway", "admin-key"), cancellationToken)).Trim();
        using var admin = chaos.Client(adminKey);
        using var created = await admin.PostAsJsonAsync("/api/admin/keys",
            new { name = "chaos", scopes = new[] { "ingest", "read", "admin" }, rateLimit = new { capacity = 1_000_000, refillPerSecond = 100_000 } }, cancellationToken);
        created.EnsureSuccessStatusCode();
        chaos.Gateway = chaos.Client((await created.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("key").GetString()!);
        return chaos;
    }

    /// <summary>
    /// Every resource healthy within <see cref="StartTimeout"/>, or a failure naming those that are not and their last
    /// log lines (the application is stopped): a service that exits at start (its port taken, say) leaves the services
    /// waiting for it waiting for ever.
    /// </summary>
    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        try
        {
            foreach (var name in Resources) await App.ResourceNotifications.WaitForResourceHealthyAsync(name, timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or DistributedApplicationException && !cancellationToken.IsCancellationRequested)
        {
            var unwell = DescribeUnwellResources();
            await App.DisposeAsync();
            throw new InvalidOperationException($"Vigil did not start within {StartTimeout.TotalMinutes:0} min ({e.Message}):{Environment.NewLine}{unwell}", e);
        }
    }

    /// <summary>
    /// The state of every resource that is not running and healthy now, with its last log lines: what a failed chaos run
    /// needs to say about the application itself.
    /// </summary>
    public string DescribeUnwellResources()
    {
        var report = new System.Text.StringBuilder();
        foreach (var name in Resources)
        {
            if (!App.ResourceNotifications.TryGetCurrentState(name, out var state)) continue;
            var snapshot = state.Snapshot;
            if (snapshot.State?.Text == KnownResourceStates.Running && snapshot.HealthStatus is null or HealthStatus.Healthy) continue;
            report.AppendLine($"- {name}: {snapshot.State?.Text ?? "unknown"}, health {snapshot.HealthStatus?.ToString() ?? "unknown"}, exit code {snapshot.ExitCode?.ToString() ?? "-"}");
            foreach (var line in _logs.Recent(name).TakeLast(12)) report.AppendLine($"    {line}");
        }
        return report.Length == 0 ? "every resource running and healthy" : report.ToString();
    }

    /// <summary>Lines of every resource's log that mention <paramref name="needle"/> (a run id), resource by resource.</summary>
    public IReadOnlyList<string> LogLinesMentioning(string needle, int most)
    {
        var lines = new List<string>();
        foreach (var name in Resources)
        {
            var file = Path.Combine(LogsDirectory, name + ".log");
            if (!File.Exists(file)) continue;
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
                if (line.Contains(needle, StringComparison.OrdinalIgnoreCase)) lines.Add($"{name}: {line.Trim()}");
        }
        return lines.Count <= most ? lines : [.. lines.Take(most / 2), "...", .. lines.TakeLast(most / 2)];
    }

    public async Task<string> ConnectionStringAsync(string resource, CancellationToken cancellationToken) =>
        await App.GetConnectionStringAsync(resource, cancellationToken) ?? throw new InvalidOperationException($"{resource} has no connection string.");

    /// <summary>What each service's error queues hold now (its own address: only Scoring's is routed by the gateway).</summary>
    public async Task<string> DescribeDeadLettersAsync(CancellationToken cancellationToken)
    {
        var report = new System.Text.StringBuilder();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var name in new[] { "ingest", "validation", "scoring", "alerting", "lineage" })
        {
            try
            {
                var queues = await client.GetFromJsonAsync<JsonElement>(new Uri(App.GetEndpoint(name, "http"), "/api/system/dead-letters"), cancellationToken);
                var held = queues.EnumerateArray().Where(q => q.GetProperty("messages").GetInt64() > 0)
                    .Select(q => $"{q.GetProperty("queue").GetString()} {q.GetProperty("messages").GetInt64()}").ToList();
                report.AppendLine($"- {name}: {(held.Count == 0 ? "none" : string.Join(", ", held))}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
            {
                report.AppendLine($"- {name}: not readable ({e.Message})");
            }
        }
        return report.ToString();
    }

    /// <summary>A clean run needs no post-mortem: its logs are deleted with the data folder.</summary>
    public void DiscardLogs() => _discardLogs = true;

    private bool _discardLogs;

    private HttpClient Client(string apiKey)
    {
        // No client-wide timeout: the chaos client bounds each request itself.
        var client = new HttpClient { BaseAddress = App.GetEndpoint("gateway", "http"), Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Gateway?.Dispose();
        _logs.Dispose();
        NpgsqlConnection.ClearAllPools();
        if (App is not null) await App.DisposeAsync();
        if (_dataDirectory.Length > 0 && Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
        if (_discardLogs && Directory.Exists(LogsDirectory)) Directory.Delete(LogsDirectory, recursive: true);
    }
}
