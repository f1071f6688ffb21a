using Vigil.AppHost.Hosting.Resources;

namespace Vigil.AppHost.Hosting;

/// <summary>Fluent handle on a declared resource, as in Aspire: <c>.WithReference(db).WaitFor(db)</c>.</summary>
public interface IResourceBuilder<out T> where T : Resource
{
    T Resource { get; }
}

internal sealed record ResourceBuilder<T>(T Resource) : IResourceBuilder<T> where T : Resource;

public static class ResourceBuilderExtensions
{
    /// <summary>Hands <paramref name="source"/>'s connection info (connection string or service URL) to this resource.</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<Resource> source) where T : Resource
    {
        builder.Resource.References.Add(source.Resource);
        return builder;
    }

    /// <summary>Starts this resource only once <paramref name="dependency"/> is healthy.</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<Resource> dependency) where T : Resource
    {
        builder.Resource.WaitsFor.Add(dependency.Resource);
        return builder;
    }

    public static IResourceBuilder<ProjectResource> WithEnvironment(this IResourceBuilder<ProjectResource> builder, string name, string value)
    {
        builder.Resource.Environment[name] = value;
        return builder;
    }

    /// <summary>
    /// Sets <paramref name="variable"/> to a secret generated on first start and kept in <paramref name="fileName"/> in the
    /// project's data folder (so it survives restarts and is never in the repository); the console says where.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithGeneratedSecret(this IResourceBuilder<ProjectResource> builder, string variable, string fileName)
    {
        builder.Resource.GeneratedSecrets[variable] = fileName;
        return builder;
    }

    /// <summary>Marks the project as the public entry; locally it listens on <paramref name="port"/> when given, for a stable URL.</summary>
    public static IResourceBuilder<ProjectResource> WithExternalHttpEndpoints(this IResourceBuilder<ProjectResource> builder, int? port = null)
    {
        builder.Resource.IsExternal = true;
        builder.Resource.FixedPort = port;
        return builder;
    }
}
