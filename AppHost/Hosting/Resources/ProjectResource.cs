using System.Reflection;
using Vigil.AppHost.Hosting.Processes;

namespace Vigil.AppHost.Hosting.Resources;

/// <summary>
/// One of our .NET projects, run from its build output on a loopback port. It learns about its dependencies only
/// through Aspire's environment conventions, so it never knows who started it.
/// </summary>
public sealed class ProjectResource(string name, string projectDirectory) : Resource(name)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private ChildProcess? _process;

    public override string Kind => "project";

    /// <summary>Directory of the .csproj, relative to the repository root.</summary>
    public string ProjectDirectory { get; } = projectDirectory;

    public int Port { get; private set; }

    /// <summary>Port to listen on instead of a free one (only the public gateway gets one, for stable URLs).</summary>
    public int? FixedPort { get; set; }

    /// <summary>Marked for exposure outside the cluster; locally it is the one URL a person uses.</summary>
    public bool IsExternal { get; set; }

    /// <summary>Extra environment for this project; tests use it to point telemetry at their own receiver.</summary>
    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>
    /// Environment variables whose value is a secret generated on first start and kept in a file of this project's
    /// data folder (variable name to file name), like the backing servers' passwords.
    /// </summary>
    public Dictionary<string, string> GeneratedSecrets { get; } = [];

    /// <summary>Where each generated secret is kept (variable name to file path), once started.</summary>
    public Dictionary<string, string> GeneratedSecretFiles { get; } = [];

    /// <summary>The value a generated secret (or an <see cref="Environment"/> entry overriding it) had at start.</summary>
    public string GetSecret(string variable) =>
        Environment.TryGetValue(variable, out var given) ? given
        : GeneratedSecretFiles.TryGetValue(variable, out var file) ? File.ReadAllText(file).Trim()
        : throw new InvalidOperationException($"{Name} has no secret {variable}, or has not started yet.");

    public override string? Url => Port == 0 ? null : $"http://127.0.0.1:{Port}";

    internal override Task StartAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        var assembly = ResolveAssembly(context.RepositoryRoot);
        // Started again (after StopResourceAsync), a project keeps the address its dependants were given.
        Port = FixedPort ?? (Port != 0 ? Port : PortAllocator.FreeLoopbackPort());
        if (FixedPort is { } fixedPort && !PortAllocator.IsFree(fixedPort))
            throw new ResourceStartException(Name, $"port {fixedPort} is already in use (is another AppHost running?).");

        var spec = new ProcessSpec("dotnet", [assembly])
        {
            WorkingDirectory = Path.GetDirectoryName(assembly),
            Environment = BuildEnvironment(context),
        };
        _process = ChildProcess.Start(spec, Name, context);
        return Task.CompletedTask;
    }

    private Dictionary<string, string> BuildEnvironment(ResourceContext context)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = Url!,
            ["ASPNETCORE_ENVIRONMENT"] = System.Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Development",
            ["OTEL_SERVICE_NAME"] = Name,
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        };
        foreach (var otel in new[] { "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_HEADERS" })
        {
            if (System.Environment.GetEnvironmentVariable(otel) is { Length: > 0 } value) environment[otel] = value;
        }
        foreach (var reference in References)
        {
            switch (reference)
            {
                case IResourceWithConnectionString backing:
                    environment[$"ConnectionStrings__{backing.Name}"] = backing.ConnectionString;
                    break;
                case IResourceWithEnvironment provider:
                    foreach (var (key, value) in provider.ReferenceEnvironment) environment[key] = value;
                    break;
                case ProjectResource project:
                    environment[$"services__{project.Name}__http__0"] = project.Url
                        ?? throw new InvalidOperationException($"{Name} references {project.Name}, which has no address yet; add WaitFor({project.Name}).");
                    break;
            }
        }
        foreach (var (variable, fileName) in GeneratedSecrets)
        {
            var directory = context.DirectoryFor(Name);
            environment[variable] = GeneratedSecret.GetOrCreate(directory, fileName);
            GeneratedSecretFiles[variable] = Path.Combine(directory, fileName);
        }
        foreach (var (key, value) in Environment) environment[key] = value;
        return environment;
    }

    /// <summary>The project's build output, e.g. services/Ingest/bin/Debug/net10.0/Vigil.Ingest.dll.</summary>
    private string ResolveAssembly(string repositoryRoot)
    {
        var directory = Path.Combine(repositoryRoot, ProjectDirectory);
        var project = Directory.GetFiles(directory, "*.csproj").SingleOrDefault()
            ?? throw new ResourceStartException(Name, $"no single .csproj in {directory}.");
        var metadata = typeof(ProjectResource).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value);
        var assembly = Path.Combine(directory, "bin", metadata["Configuration"]!, metadata["TargetFramework"]!, Path.GetFileNameWithoutExtension(project) + ".dll");
        return File.Exists(assembly)
            ? assembly
            : throw new ResourceStartException(Name, $"{assembly} is missing; build the solution first (dotnet build Aspire.sln).");
    }

    internal override Task WaitHealthyAsync(CancellationToken cancellationToken) =>
        HealthProbe.WaitUntilAsync(Name, token => HealthProbe.HttpOkAsync(Http, $"{Url}/health", token),
            _process!.Exited, TimeSpan.FromSeconds(90), cancellationToken);

    internal override async Task StopAsync(TimeSpan grace)
    {
        if (_process is null) return;
        await _process.StopAsync(PosixSignals.SIGTERM, grace);
        await _process.DisposeAsync();
        _process = null;
    }
}
