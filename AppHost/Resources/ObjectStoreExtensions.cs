using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Vigil.AppHost.Resources;

/// <summary>
/// An S3-compatible object store on 127.0.0.1 (MinIO plays this role in Kubernetes). Served by moto_server, which
/// keeps objects in memory for as long as it runs; the launcher is one <see cref="ObjectStoreLauncher"/>, so a
/// file-backed emulator can take its place without touching the rest.
/// </summary>
public sealed class ObjectStoreResource(string name, string command, string workingDirectory, int port, string secretKey)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    internal const string AccessKey = "vigil";

    public int Port { get; } = port;

    internal string SecretKey { get; } = secretKey;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"Endpoint=http://127.0.0.1:{Port.ToString()};AccessKey={AccessKey};SecretKey={SecretKey};Region=us-east-1");
}

/// <summary>What runs the object store: the executable, the pip requirement that installs it, its arguments for a port and a data folder.</summary>
public sealed record ObjectStoreLauncher(string Executable, string PipRequirement, Func<int, string, string[]> Arguments)
{
    /// <summary>moto's S3 server (in memory): <c>moto_server -H 127.0.0.1 -p PORT</c>.</summary>
    public static ObjectStoreLauncher Moto { get; } = new(
        "moto_server", "moto[server]", (port, _) => ["-H", "127.0.0.1", "-p", port.ToString()]);
}

public static class ObjectStoreExtensions
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(3) };

    public static IResourceBuilder<ObjectStoreResource> AddObjectStore(this IDistributedApplicationBuilder builder, string name, VigilLayout layout,
        ObjectStoreLauncher? launcher = null)
    {
        launcher ??= ObjectStoreLauncher.Moto;
        var root = layout.DirectoryFor(name);
        var data = Path.Combine(root, "data");
        var server = new ServerCommand(launcher.Executable, user: null);
        var resource = new ObjectStoreResource(name, server.Command, root, LoopbackPort.Free(), GeneratedSecret.GetOrCreate(root, "secret-key"));

        var healthCheck = $"{name}-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, async token =>
        {
            using var response = await Http.GetAsync($"http://127.0.0.1:{resource.Port}/", token);
            return response.IsSuccessStatusCode ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy($"answered {(int)response.StatusCode}");
        });

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(resource, async (e, token) =>
        {
            var log = e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
            server.Path = await ServerInstaller.RequireAsync(launcher.Executable, Installation.Pip(launcher.PipRequirement), log, token);
            Directory.CreateDirectory(data);
        });

        return builder.AddResource(resource)
            .WithEndpoint(port: resource.Port, targetPort: resource.Port, scheme: "http", name: "http", isProxied: false)
            .WithArgs(context =>
            {
                server.AddPrefix(context);
                foreach (var argument in launcher.Arguments(resource.Port, data)) context.Args.Add(argument);
            })
            .WithHealthCheck(healthCheck)
            .WithInstanceMarker();
    }
}
