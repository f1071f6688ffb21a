using Aspire.Hosting.ApplicationModel;

namespace Vigil.AppHost.Resources;

/// <summary>
/// One of Vigil's .NET services, run from its build output (<c>dotnet bin/…/X.dll</c>) rather than through
/// <c>dotnet run</c>, so it starts and stops in a second or two. It listens on 127.0.0.1 on a port of
/// <see cref="LoopbackPort"/>'s (directly, or behind Aspire's proxy on its public port), gets the dashboard's OTLP
/// settings, and is healthy when its /health answers.
/// </summary>
public static class ServiceExtensions
{
    /// <param name="projectDirectory">The project's folder relative to the repository root, e.g. services/Ingest.</param>
    /// <param name="publicPort">
    /// For the one service people call (the gateway): the port of Aspire's proxy in front of it, which tests let Aspire
    /// choose at random. Other services have no proxy: callers reach the port they listen on.
    /// </param>
    public static IResourceBuilder<ExecutableResource> AddService(this IDistributedApplicationBuilder builder, string name, string projectDirectory,
        VigilLayout layout, int? publicPort = null)
    {
        var directory = Path.Combine(layout.RepositoryRoot, projectDirectory);
        var project = Directory.GetFiles(directory, "*.csproj").SingleOrDefault()
            ?? throw new InvalidOperationException($"No single .csproj in {directory}.");
        var output = Path.Combine(directory, "bin", layout.Configuration, layout.TargetFramework);
        var assembly = Path.Combine(output, Path.GetFileNameWithoutExtension(project) + ".dll");

        var port = LoopbackPort.Free();
        var service = builder.AddExecutable(name, "dotnet", output, assembly)
            .WithHttpEndpoint(name: "http", port: publicPort ?? port, targetPort: port, isProxied: publicPort is not null)
            .WithOtlpExporter()
            .WithHttpHealthCheck("/health");
        var http = service.GetEndpoint("http");
        return service
            .WithEnvironment("ASPNETCORE_URLS", ReferenceExpression.Create($"http://127.0.0.1:{http.Property(EndpointProperty.TargetPort)}"))
            // Services run as Production whatever the AppHost runs as (no developer exception pages, no stack traces);
            // the setting Vigil:ServiceEnvironment (e.g. Vigil__ServiceEnvironment=Development) overrides it.
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Configuration["Vigil:ServiceEnvironment"] ?? Microsoft.Extensions.Hosting.Environments.Production)
            .WithInstanceMarker()
            .WithEnvironment("Logging__Console__FormatterName", "simple")
            .WithEnvironment("Logging__Console__FormatterOptions__SingleLine", "true");
    }

    /// <summary>
    /// For the services that do the heavy work on batches (Validation, Scoring): the runtime's W^X protection off. With
    /// it on, every batch of 600,000 rows cost Scoring about 0.7 CPU-s more in the chunked scoring alone and the run
    /// 0.5 s longer (docs/platform-benchmark.md); these services are reachable only from inside the platform and run no
    /// code they are sent. The gateway and the other services keep it.
    /// </summary>
    public static IResourceBuilder<ExecutableResource> WithBatchComputeRuntime(this IResourceBuilder<ExecutableResource> builder) =>
        builder.WithEnvironment("DOTNET_EnableWriteXorExecute", "0");

    /// <summary>
    /// An environment variable whose value is a secret generated on first start and kept in a file (mode 0600) in the
    /// service's data folder, e.g. the gateway's admin key in .vigil/gateway/admin-key.
    /// </summary>
    public static IResourceBuilder<ExecutableResource> WithGeneratedSecret(this IResourceBuilder<ExecutableResource> builder, string variable,
        string fileName, VigilLayout layout)
    {
        var secret = GeneratedSecret.GetOrCreate(layout.DirectoryFor(builder.Resource.Name), fileName);
        return builder.WithEnvironment(variable, secret);
    }
}
