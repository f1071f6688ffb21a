namespace Vigil.AppHost.Hosting;

/// <summary>What a resource needs from the app while starting: where its files go and where its log lines go.</summary>
internal sealed class ResourceContext(string dataRoot, string repositoryRoot, IResourceLogSink logs, string instanceMarker)
{
    public string RepositoryRoot { get; } = repositoryRoot;

    public IResourceLogSink Logs { get; } = logs;

    /// <summary>Environment value handed to every child process so that its descendants can be found later.</summary>
    public string InstanceMarker { get; } = instanceMarker;

    public string DirectoryFor(string resourceName)
    {
        var path = Path.Combine(dataRoot, resourceName);
        Directory.CreateDirectory(path);
        return path;
    }
}
