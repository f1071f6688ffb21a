using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Vigil.AppHost.Resources;

/// <summary>
/// Where the AppHost finds the repository (recorded at build time) and keeps every resource's data and logs:
/// <c>.vigil/</c> at the repository root (git-ignored), or --data-dir / VIGIL_DATA_DIR.
/// </summary>
public sealed class VigilLayout(string repositoryRoot, string dataDirectory, string configuration, string targetFramework)
{
    public string RepositoryRoot { get; } = repositoryRoot;
    public string DataDirectory { get; } = dataDirectory;
    public string Configuration { get; } = configuration;
    public string TargetFramework { get; } = targetFramework;

    /// <summary>A resource's own folder under the data directory, created on first use.</summary>
    public string DirectoryFor(string resource) => Directory.CreateDirectory(Path.Combine(DataDirectory, resource)).FullName;

    public static VigilLayout From(IConfiguration configuration)
    {
        var metadata = typeof(VigilLayout).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value ?? "");
        var root = metadata.GetValueOrDefault("RepositoryRoot") is { Length: > 0 } recorded && Directory.Exists(recorded)
            ? recorded
            : Directory.GetCurrentDirectory();
        var data = configuration["data-dir"] ?? configuration["VIGIL_DATA_DIR"] ?? Path.Combine(root, ".vigil");
        return new VigilLayout(root, Path.GetFullPath(data), metadata["Configuration"], metadata["TargetFramework"]);
    }
}
