using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Vigil.Gateway.Access;
using Vigil.Gateway.Extensions;
using Vigil.Gateway.Limits;

namespace Vigil.Gateway.UnitTests.Support;

/// <summary>A started Kestrel server on 127.0.0.1 and a free port.</summary>
internal sealed class RunningServer(WebApplication app) : IAsyncDisposable
{
    public WebApplication App { get; } = app;

    public Uri Address { get; } = new(app.Urls.Single());

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

internal static class TestServers
{
    /// <summary>Starts a plain backend whose endpoints <paramref name="map"/> defines.</summary>
    public static async Task<RunningServer> StartBackendAsync(Action<WebApplication> map)
    {
        var builder = CreateBuilder();
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return new RunningServer(app);
    }

    /// <summary>
    /// Starts the gateway as Program.cs wires it, with only the given configuration (plus <see cref="TestKeys.AdminKey"/>),
    /// keys from <paramref name="keys"/> (default: <see cref="TestKeys"/>) and a rate limiter standing in for Redis
    /// (default: none that ever refuses).
    /// </summary>
    public static async Task<RunningServer> StartGatewayAsync(
        IEnumerable<KeyValuePair<string, string?>> configuration,
        ILoggerProvider? logs = null,
        string? jsonFile = null,
        IApiKeyStore? keys = null,
        IRateLimiter? rateLimiter = null)
    {
        var builder = CreateBuilder(logs);
        if (jsonFile is not null)
        {
            builder.Configuration.AddJsonFile(jsonFile, optional: false);
        }

        builder.Configuration.AddInMemoryCollection([new("Gateway:AdminKey", TestKeys.AdminKey)]);
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddVigilOpenApi(); // what AddServiceDefaults registers in Program.cs
        builder.AddGatewayServices();
        builder.Services.AddSingleton<IApiKeyStore>(keys ?? TestKeys.CreateStore());
        builder.Services.AddSingleton<IRateLimiter>(rateLimiter ?? new UnlimitedRateLimiter());

        var app = builder.Build();
        app.MapGateway();
        await app.StartAsync();
        return new RunningServer(app);
    }

    /// <summary>A builder with no configuration from files or the environment, listening on a free loopback port.</summary>
    public static WebApplicationBuilder CreateBuilder(ILoggerProvider? logs = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
            builder.Logging.AddProvider(logs);
        }

        return builder;
    }

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    public static int UnusedPort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}

internal sealed class UnlimitedRateLimiter : IRateLimiter
{
    public Task<RateLimitDecision> TryAcquireAsync(string bucketId, TokenBucketSettings settings, CancellationToken cancellationToken) =>
        Task.FromResult(RateLimitDecision.Allow);
}
