using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vigil.AppHost.Resources;

namespace Vigil.Platform.Benchmarks;

/// <summary>
/// A whole Vigil for the benchmark, started from the AppHost in a throw-away data folder with the services' own
/// settings, and a gateway client whose key has limits high enough not to be what is measured.
/// </summary>
public sealed class PlatformApp : IAsyncDisposable
{
    private static readonly string[] Resources = ["postgres", "redis", "rabbitmq", "objectstore", "validation", "ingest", "scoring", "alerting", "lineage", "gateway"];

    private string _dataDirectory = "";

    public DistributedApplication App { get; private set; } = null!;
    public HttpClient Gateway { get; private set; } = null!;

    public static async Task<PlatformApp> StartAsync(IReadOnlyList<ExtraEnvironment> environment, CancellationToken cancellationToken)
    {
        var platform = new PlatformApp();
        var root = VigilLayout.From(new ConfigurationBuilder().Build()).RepositoryRoot;
        platform._dataDirectory = Path.Combine(root, ".vigil", "test-runs", "bench-" + Guid.NewGuid().ToString("n")[..8]);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<VigilLayout>([$"--data-dir={platform._dataDirectory}"], cancellationToken);
        builder.Services.AddLogging(logging => logging.AddFilter("Vigil.AppHost.Resources", LogLevel.None).AddFilter("Aspire", LogLevel.Warning)
            // Health probes fail by design while servers start and stop; the benchmark's own lines say what happened.
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None));
        foreach (var resource in builder.Resources.OfType<ExecutableResource>().ToList())
        {
            var process = builder.CreateResourceBuilder(resource);
            foreach (var extra in environment.Where(e => e.AppliesTo(resource.Name))) process.WithEnvironment(extra.Name, extra.Value);
        }
        platform.App = await builder.BuildAsync(cancellationToken);
        await platform.App.StartAsync(cancellationToken);
        foreach (var name in Resources) await platform.App.ResourceNotifications.WaitForResourceHealthyAsync(name, cancellationToken);

        var adminKey = (await File.ReadAllTextAsync(Path.Combine(platform._dataDirectory, "gateway", "admin-key"), cancellationToken)).Trim();
        using var admin = platform.Client(adminKey);
        using var created = await admin.PostAsJsonAsync("/api/admin/keys",
            new { name = "benchmark", scopes = new[] { "ingest", "read", "admin" }, rateLimit = new { capacity = 1_000_000, refillPerSecond = 100_000 } }, cancellationToken);
        created.EnsureSuccessStatusCode();
        platform.Gateway = platform.Client((await created.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("key").GetString()!);
        return platform;
    }

    private HttpClient Client(string apiKey)
    {
        var client = new HttpClient { BaseAddress = App.GetEndpoint("gateway", "http"), Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Gateway?.Dispose();
        if (App is not null) await App.DisposeAsync();
        if (_dataDirectory.Length > 0 && Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }
}
