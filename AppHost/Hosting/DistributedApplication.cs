using System.Diagnostics;
using System.Runtime.InteropServices;
using Vigil.AppHost.Hosting.Processes;
using Vigil.AppHost.Hosting.Resources;

namespace Vigil.AppHost.Hosting;

/// <summary>
/// Starts resources in dependency order (independent ones in parallel, each awaited healthy before its dependants),
/// and stops them in reverse order. Used by the AppHost's Program.cs and, as a library, by the integration tests.
/// </summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    private static readonly TimeSpan ProjectStopGrace = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ServerStopGrace = TimeSpan.FromSeconds(20);

    private readonly AppHostOptions _options;
    private readonly ResourceContext _context;
    private readonly List<Resource> _started = [];
    private readonly Lock _startedLock = new();

    internal DistributedApplication(IReadOnlyList<Resource> resources, AppHostOptions options)
    {
        Resources = resources;
        _options = options;
        Directory.CreateDirectory(options.DataDirectory);
        Logs = new ResourceLogs(Path.Combine(options.DataDirectory, "logs"), echoToConsole: false);
        // An instance id given by whoever started us (a test) is kept, so it can find our processes afterwards.
        InstanceId = Environment.GetEnvironmentVariable(InstanceMarker.VariableName) is { Length: > 0 } given ? given : Guid.NewGuid().ToString("n");
        if (options.FreePortsOnly)
        {
            foreach (var project in resources.OfType<ProjectResource>()) project.FixedPort = null;
        }
        _context = new ResourceContext(options.DataDirectory, options.RepositoryRoot, Logs, InstanceId);
    }

    public static DistributedApplicationBuilder CreateBuilder(string[] args) => new(AppHostOptions.FromArgs(args));

    public IReadOnlyList<Resource> Resources { get; }

    public ResourceLogs Logs { get; }

    /// <summary>Value of VIGIL_INSTANCE in every process this app started.</summary>
    public string InstanceId { get; }

    public T Resource<T>(string name) where T : Resource =>
        Resources.OfType<T>().SingleOrDefault(r => r.Name == name) ?? throw new ArgumentException($"No {typeof(T).Name} named '{name}'.");

    public string GetConnectionString(string name) =>
        Resources.OfType<IResourceWithConnectionString>().SingleOrDefault(r => r.Name == name)?.ConnectionString
        ?? throw new ArgumentException($"No resource named '{name}' has a connection string.");

    public Uri GetEndpoint(string name) => new(Resource<ProjectResource>(name).Url ?? throw new InvalidOperationException($"{name} is not running."));

    /// <summary>Starts every resource.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => StartAsync(Resources, cancellationToken);

    /// <summary>Starts the named resources and whatever they depend on.</summary>
    public Task StartAsync(IEnumerable<string> only, CancellationToken cancellationToken = default) =>
        StartAsync(ResourceGraph.Closure(Resources, only), cancellationToken);

    private async Task StartAsync(IReadOnlyList<Resource> selection, CancellationToken cancellationToken)
    {
        using var failFast = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var starts = new Dictionary<Resource, Task>();
        Task StartAfterDependencies(Resource resource)
        {
            if (!starts.TryGetValue(resource, out var task))
            {
                var dependencies = ResourceGraph.DependenciesOf(resource).Where(selection.Contains).Select(StartAfterDependencies).ToArray();
                task = StartOneAsync(resource, dependencies, failFast);
                starts[resource] = task;
            }
            return task;
        }

        try
        {
            await Task.WhenAll(selection.Select(StartAfterDependencies));
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            var failures = selection.Where(r => r.State == ResourceState.Failed).ToList();
            await StopAsync();
            throw new ResourceStartException(
                string.Join(", ", failures.Select(f => f.Name)),
                string.Join(Environment.NewLine, failures.Select(Describe)));
        }
    }

    private async Task StartOneAsync(Resource resource, Task[] dependencies, CancellationTokenSource failFast)
    {
        await Task.WhenAll(dependencies);
        var clock = Stopwatch.StartNew();
        resource.State = ResourceState.Starting;
        lock (_startedLock) _started.Add(resource);
        try
        {
            await resource.StartAsync(_context, failFast.Token);
            await resource.WaitHealthyAsync(failFast.Token);
            resource.State = ResourceState.Running;
            Logs.Write(resource.Name, $"healthy after {clock.Elapsed.TotalSeconds:0.0} s at {resource.Url}", isError: false);
        }
        catch (Exception e)
        {
            resource.State = ResourceState.Failed;
            resource.FailureReason ??= e is OperationCanceledException ? "start cancelled" : e.Message;
            failFast.Cancel();
            throw;
        }
    }

    private string Describe(Resource failed)
    {
        var recent = Logs.Recent(failed.Name);
        var tail = recent.Count == 0 ? "" : Environment.NewLine + string.Join(Environment.NewLine, recent.TakeLast(15).Select(l => "    " + l));
        return $"  {failed.Name}: {failed.FailureReason} (log: {Logs.LogFile(failed.Name)}){tail}";
    }

    /// <summary>
    /// Stops one running project and nothing else: its dependants keep running and see it gone, as after a crash or a
    /// rolling update (tests use it to prove that work survives a restart).
    /// </summary>
    public async Task StopResourceAsync(string name)
    {
        var project = Resource<ProjectResource>(name);
        lock (_startedLock)
        {
            if (!_started.Remove(project)) throw new InvalidOperationException($"{name} is not running.");
        }
        await StopOneAsync(project, []);
    }

    /// <summary>Starts a stopped project again, on the address its dependants were given, and waits until it is healthy.</summary>
    public async Task StartResourceAsync(string name, CancellationToken cancellationToken = default)
    {
        var project = Resource<ProjectResource>(name);
        if (project.State is not (ResourceState.Stopped or ResourceState.NotStarted))
            throw new InvalidOperationException($"{name} is {project.State}; only a stopped project can be started again.");
        using var failFast = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await StartOneAsync(project, [], failFast);
    }

    /// <summary>Stops everything this app started, dependants before their dependencies.</summary>
    public async Task StopAsync()
    {
        List<Resource> started;
        lock (_startedLock) started = [.. _started];
        var stops = new Dictionary<Resource, Task>();
        Task StopAfterDependants(Resource resource)
        {
            if (!stops.TryGetValue(resource, out var task))
            {
                var dependants = started.Where(other => ResourceGraph.DependenciesOf(other).Contains(resource)).Select(StopAfterDependants).ToArray();
                task = StopOneAsync(resource, dependants);
                stops[resource] = task;
            }
            return task;
        }
        await Task.WhenAll(started.Select(StopAfterDependants));
        lock (_startedLock) _started.Clear();
    }

    private static async Task StopOneAsync(Resource resource, Task[] dependants)
    {
        await Task.WhenAll(dependants);
        var failed = resource.State == ResourceState.Failed;
        resource.State = ResourceState.Stopping;
        await resource.StopAsync(resource is ProjectResource ? ProjectStopGrace : ServerStopGrace);
        resource.State = failed ? ResourceState.Failed : ResourceState.Stopped;
    }

    /// <summary>
    /// The AppHost's main loop: start everything, print the resource table, echo logs, and stop everything on
    /// Ctrl+C, SIGTERM or SIGHUP. Returns the process exit code.
    /// </summary>
    public async Task<int> RunAsync()
    {
        using var shutdown = new CancellationTokenSource();
        void RequestShutdown(PosixSignalContext signal)
        {
            signal.Cancel = true;
            shutdown.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestShutdown);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestShutdown);
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, RequestShutdown); // terminal closed

        var clock = Stopwatch.StartNew();
        Console.WriteLine($"Starting {Resources.Count} resources; data and logs under {_options.DataDirectory}");
        try
        {
            await StartAsync(shutdown.Token);
        }
        catch (ResourceStartException e)
        {
            Console.Error.WriteLine($"Vigil could not start.{Environment.NewLine}{e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("Start cancelled; stopping what was started.");
            await StopAsync();
            return 130;
        }

        Console.WriteLine(ResourceTable.Render(Resources, clock.Elapsed));
        Logs.EchoToConsole = _options.EchoLogsToConsole;
        try
        {
            await Task.Delay(Timeout.Infinite, shutdown.Token);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM.
        }

        Logs.EchoToConsole = false;
        Console.WriteLine("Stopping...");
        await StopAsync();
        Console.WriteLine(ResourceTable.Render(Resources, elapsed: null));
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Logs.Dispose();
        if (_options.DeleteDataOnDispose && Directory.Exists(_options.DataDirectory))
            Directory.Delete(_options.DataDirectory, recursive: true);
    }
}
