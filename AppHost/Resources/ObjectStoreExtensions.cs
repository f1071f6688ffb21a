using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

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
/// Vigil's file-backed S3 store (tools/ObjectStore, see its README), built with the AppHost and run from its build output
/// like the services: objects are files under the resource's data folder, so raw batches, reports and models survive an
/// AppHost restart.
/// </summary>
internal static class FileBackedS3
{
    public static string Assembly(VigilLayout layout) =>
        Path.Combine(layout.RepositoryRoot, "tools", "ObjectStore", "bin", layout.Configuration, layout.TargetFramework, "Vigil.ObjectStore.dll");

    /// <summary>--parent-pid stops the store when the AppHost is gone, so not even a crash leaves it running.</summary>
    public static IEnumerable<string> Arguments(VigilLayout layout, int port, string data) =>
    [
        Assembly(layout),
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
        var resource = new ObjectStoreResource(name, "dotnet", root, LoopbackPort.Free(), GeneratedSecret.GetOrCreate(root, "secret-key"));

        var healthCheck = $"{name}-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, async token =>
        {
            using var response = await Http.GetAsync($"http://127.0.0.1:{resource.Port}/", token);
            return response.IsSuccessStatusCode ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy($"answered {(int)response.StatusCode}");
        });

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(resource, (_, _) =>
        {
            if (!File.Exists(FileBackedS3.Assembly(layout)))
                throw new InvalidOperationException($"The object store is not built ({FileBackedS3.Assembly(layout)}); build the AppHost, which builds it.");
            Directory.CreateDirectory(data);
            return Task.CompletedTask;
        });

        return builder.AddResource(resource)
            .WithEndpoint(port: resource.Port, targetPort: resource.Port, scheme: "http", name: "http", isProxied: false)
            .WithArgs(context =>
            {
                foreach (var argument in FileBackedS3.Arguments(layout, resource.Port, data)) context.Args.Add(argument);
            })
            .WithHealthCheck(healthCheck)
            .WithInstanceMarker();
    }
}
