using System.Xml.Linq;

namespace Vigil.Deployment.Tests.Support;

/// <summary>A deployable project: a web project under services/, the gateway or the dashboard, named as the AppHost and k8s name it.</summary>
public sealed record ServiceProject(string Name, string Directory, string ProjectFile)
{
    public string AssemblyName => Path.GetFileNameWithoutExtension(ProjectFile);

    /// <summary>The one Dockerfile every deployable project is built from, at the repository root.</summary>
    public string Dockerfile => Repository.PathOf("Dockerfile");

    /// <summary>The build arguments that make the shared Dockerfile build this project, plus any others given (VARIANT).</summary>
    public IReadOnlyDictionary<string, string> BuildArgs(IReadOnlyDictionary<string, string>? others = null)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal) { ["SERVICE_DIR"] = Directory, ["ASSEMBLY"] = AssemblyName };
        foreach (var (name, value) in others ?? new Dictionary<string, string>()) args[name] = value;
        return args;
    }
}

/// <summary>The repository these tests check, found by walking up from the test assembly to Aspire.sln.</summary>
public static class Repository
{
    private static readonly Lazy<string> RootPath = new(FindRoot);
    private static readonly Lazy<IReadOnlyList<ServiceProject>> Projects = new(FindServiceProjects);

    public static string Root => RootPath.Value;

    /// <summary>Every ASP.NET Core project under services/ plus the gateway and the web dashboard: the things that get an image and a Deployment.</summary>
    public static IReadOnlyList<ServiceProject> ServiceProjects => Projects.Value;

    public static ServiceProject Service(string name) => ServiceProjects.Single(p => p.Name == name);

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>C# sources of a project folder, build outputs excluded.</summary>
    public static IReadOnlyList<string> CSharpSources(string relativeDirectory) =>
        Directory.EnumerateFiles(PathOf(relativeDirectory), "*.cs", SearchOption.AllDirectories)
            .Where(file => !IsBuildOutput(file))
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllText)
            .ToList();

    /// <summary>The project folders (relative, '/'-separated) a project needs to build: itself and its ProjectReferences, transitively.</summary>
    public static IReadOnlyList<string> ProjectClosure(string relativeProjectFile)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        Visit(relativeProjectFile);
        return seen.ToList();

        void Visit(string project)
        {
            var directory = Path.GetDirectoryName(project)!.Replace('\\', '/');
            if (!seen.Add(directory)) return;
            foreach (var reference in XDocument.Load(PathOf(project)).Descendants("ProjectReference"))
            {
                var include = reference.Attribute("Include")!.Value.Replace('\\', '/');
                var full = Path.GetFullPath(Path.Combine(PathOf(directory), include));
                Visit(Path.GetRelativePath(Root, full).Replace('\\', '/'));
            }
        }
    }

    /// <summary>The files a project file imports (<c>&lt;Import Project="..."/&gt;</c>), relative to the repository root.</summary>
    public static IReadOnlyList<string> ImportedFiles(string projectFile)
    {
        var fullPath = Path.GetFullPath(projectFile, Root);
        var directory = Path.GetDirectoryName(fullPath)!;
        return [.. XDocument.Load(fullPath).Descendants("Import")
            .Select(import => import.Attribute("Project")!.Value.Replace('\\', '/'))
            .Select(path => Path.GetRelativePath(Root, Path.GetFullPath(Path.Combine(directory, path))).Replace('\\', '/'))];
    }

    private static bool IsBuildOutput(string file)
    {
        var parts = file.Split(Path.DirectorySeparatorChar);
        return parts.Contains("bin") || parts.Contains("obj");
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Aspire.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"No Aspire.sln above {AppContext.BaseDirectory}; run the tests from inside the repository.");
    }

    private static IReadOnlyList<ServiceProject> FindServiceProjects()
    {
        var candidates = Directory.EnumerateDirectories(PathOf("services"))
            .Append(PathOf("gateway"))
            .Append(PathOf("dashboard"))
            .SelectMany(directory => Directory.EnumerateFiles(directory, "Vigil.*.csproj"));
        return candidates
            .Where(file => XDocument.Load(file).Root?.Attribute("Sdk")?.Value == "Microsoft.NET.Sdk.Web")
            .Select(file =>
            {
                var directory = Path.GetRelativePath(Root, Path.GetDirectoryName(file)!).Replace('\\', '/');
                return new ServiceProject(
                    Path.GetFileName(directory).ToLowerInvariant(),
                    directory,
                    $"{directory}/{Path.GetFileName(file)}");
            })
            .OrderBy(project => project.Name, StringComparer.Ordinal)
            .ToList();
    }
}
