using System.Reflection;

namespace Vigil.AppHost.Hosting;

/// <summary>Where the AppHost keeps its files and how it talks to the console.</summary>
public sealed class AppHostOptions
{
    /// <summary>The repository the projects are built in (recorded at build time).</summary>
    public string RepositoryRoot { get; set; } = DefaultRepositoryRoot();

    /// <summary>Data and logs of every resource; <c>.vigil/</c> at the repository root unless --data-dir or VIGIL_DATA_DIR says otherwise.</summary>
    public string DataDirectory { get; set; } = "";

    public bool EchoLogsToConsole { get; set; } = true;

    /// <summary>Put every project on a free port, the public gateway included (--free-ports); for a second instance beside a running one.</summary>
    public bool FreePortsOnly { get; set; }

    /// <summary>Delete <see cref="DataDirectory"/> when the app is disposed (test runs).</summary>
    public bool DeleteDataOnDispose { get; set; }

    internal static AppHostOptions FromArgs(string[] args)
    {
        var options = new AppHostOptions();
        var dataDir = Environment.GetEnvironmentVariable("VIGIL_DATA_DIR");
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--data-dir" && i + 1 < args.Length) dataDir = args[++i];
            else if (args[i] == "--free-ports") options.FreePortsOnly = true;
        }
        options.DataDirectory = Path.GetFullPath(dataDir ?? Path.Combine(options.RepositoryRoot, ".vigil"));
        return options;
    }

    private static string DefaultRepositoryRoot()
    {
        var recorded = typeof(AppHostOptions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        return recorded is not null && Directory.Exists(recorded) ? recorded : Directory.GetCurrentDirectory();
    }
}
