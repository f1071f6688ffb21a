using Vigil.AppHost.Hosting.Resources;

namespace Vigil.AppHost.Hosting;

/// <summary>Collects the resources of the application; <see cref="Build"/> turns them into a runnable app.</summary>
public sealed class DistributedApplicationBuilder
{
    private static readonly AsyncLocal<Action<DistributedApplicationBuilder>?> BuildInterceptor = new();

    internal DistributedApplicationBuilder(AppHostOptions options) => Options = options;

    public AppHostOptions Options { get; }

    public List<Resource> Resources { get; } = [];

    public IResourceBuilder<PostgresResource> AddPostgres(string name) => Add(new PostgresResource(name));

    public IResourceBuilder<RedisResource> AddRedis(string name) => Add(new RedisResource(name));

    public IResourceBuilder<RabbitMQResource> AddRabbitMQ(string name) => Add(new RabbitMQResource(name));

    public IResourceBuilder<ObjectStoreResource> AddObjectStore(string name) => Add(new ObjectStoreResource(name));

    /// <param name="projectDirectory">Folder of the project's .csproj, relative to the repository root.</param>
    public IResourceBuilder<ProjectResource> AddProject(string name, string projectDirectory) => Add(new ProjectResource(name, projectDirectory));

    public DistributedApplication Build()
    {
        if (BuildInterceptor.Value is { } intercept)
        {
            intercept(this);
            throw new BuilderCapturedSignal();
        }
        ResourceGraph.ThrowIfCyclic(Resources);
        return new DistributedApplication(Resources, Options);
    }

    private ResourceBuilder<T> Add<T>(T resource) where T : Resource
    {
        if (!ResourceGraph.IsValidName(resource.Name))
            throw new ArgumentException($"Resource name '{resource.Name}' must be lower-case kebab case.", nameof(resource));
        if (Resources.Any(r => r.Name == resource.Name))
            throw new ArgumentException($"A resource named '{resource.Name}' already exists.", nameof(resource));
        Resources.Add(resource);
        return new ResourceBuilder<T>(resource);
    }

    /// <summary>
    /// Runs an AppHost's Main up to its <c>Build()</c> call and hands back the builder instead of running the app:
    /// how tests reuse the AppHost's own declaration, like Aspire.Hosting.Testing.
    /// </summary>
    internal static async Task<DistributedApplicationBuilder> CaptureAsync(System.Reflection.MethodInfo entryPoint, string[] args)
    {
        DistributedApplicationBuilder? captured = null;
        BuildInterceptor.Value = builder => captured = builder;
        try
        {
            var result = entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? [] : [args]);
            if (result is Task task) await task;
        }
        catch (Exception e) when (e is BuilderCapturedSignal || e.InnerException is BuilderCapturedSignal)
        {
            // Expected: Build() stopped Main once the builder was captured.
        }
        finally
        {
            BuildInterceptor.Value = null;
        }
        return captured ?? throw new InvalidOperationException($"{entryPoint.DeclaringType} never called Build().");
    }

    private sealed class BuilderCapturedSignal : Exception;
}
