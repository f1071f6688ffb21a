using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Vigil.AppHost.Resources;

/// <summary>
/// An S3-compatible object store on 127.0.0.1 (MinIO plays this role in Kubernetes), kept in files under
/// <c>.vigil/objectstore/data</c> by <see cref="FileBackedS3"/>.
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

/// <summary>
/// The file-backed S3 emulator in tools/objectstore (s3rver behind Vigil's launcher, see its README): objects are files
/// under the resource's data folder, so raw batches, reports and models survive an AppHost restart.
/// </summary>
internal static class FileBackedS3
{
    private const string Marker = "node_modules/s3rver/package.json";

    public static string Launcher(VigilLayout layout) => Path.Combine(layout.RepositoryRoot, "tools", "objectstore");

    /// <summary>
    /// Installs the launcher's npm packages when a clean checkout has none, under the same lock file the object store
    /// tests take, so parallel test processes and the AppHost never install over each other.
    /// </summary>
    public static async Task EnsureInstalledAsync(VigilLayout layout, ILogger log, CancellationToken token)
    {
        var folder = Launcher(layout);
        if (File.Exists(Path.Combine(folder, Marker))) return;
        log.LogInformation("Installing the object store's npm packages (npm ci in {Folder})", folder);
        await ToolProcess.RunAsync("flock", [Path.Combine(folder, ".npm-ci.lock"), "npm", "ci", "--prefix", folder, "--no-audit", "--no-fund", "--loglevel=error"], log, token);
        if (!File.Exists(Path.Combine(folder, Marker))) throw new InvalidOperationException($"npm ci in {folder} did not install s3rver.");
    }

    /// <summary>
    /// node's legacy OpenSSL provider is needed for s3rver's paging tokens; --parent-pid stops the emulator when the
    /// AppHost is gone, so not even a crash leaves it running.
    /// </summary>
    public static IEnumerable<string> Arguments(VigilLayout layout, int port, string data) =>
    [
        "--openssl-legacy-provider", Path.Combine(Launcher(layout), "start.mjs"),
        "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--address", "127.0.0.1",
        "--data-dir", data, "--access-key", ObjectStoreResource.AccessKey,
        "--parent-pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ];
}

public static class ObjectStoreExtensions
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(3) };

    public static IResourceBuilder<ObjectStoreResource> AddObjectStore(this IDistributedApplicationBuilder builder, string name, VigilLayout layout)
    {
        var root = layout.DirectoryFor(name);
        var data = Path.Combine(root, "data");
        var server = new ServerCommand("node", user: null);
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
            server.Path = await ServerInstaller.RequireAsync("node", Installation.Apt("nodejs", "npm"), log, token);
            await FileBackedS3.EnsureInstalledAsync(layout, log, token);
            Directory.CreateDirectory(data);
        });

        return builder.AddResource(resource)
            .WithEndpoint(port: resource.Port, targetPort: resource.Port, scheme: "http", name: "http", isProxied: false)
            .WithArgs(context =>
            {
                server.AddPrefix(context);
                foreach (var argument in FileBackedS3.Arguments(layout, resource.Port, data)) context.Args.Add(argument);
            })
            .WithHealthCheck(healthCheck)
            .WithInstanceMarker();
    }
}
