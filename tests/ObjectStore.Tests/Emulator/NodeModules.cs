using System.Diagnostics;

namespace Vigil.ObjectStore.Tests.Emulator;

/// <summary>
/// Makes sure tools/objectstore/node_modules is installed (a clean checkout has none): <c>npm ci</c> at most once per
/// test process, under a lock file so parallel test processes do not install over each other.
/// </summary>
public static class NodeModules
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _ready;

    private static string Marker => Path.Combine(RepositoryRoot.Launcher, "node_modules", "s3rver", "package.json");

    public static async Task EnsureInstalledAsync(CancellationToken cancellationToken)
    {
        if (_ready) return;
        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (_ready) return;
            using (await AcquireFileLockAsync(Path.Combine(RepositoryRoot.Launcher, ".npm-ci.lock"), cancellationToken))
            {
                if (!File.Exists(Marker)) await RunNpmCiAsync(cancellationToken);
            }
            _ready = true;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<FileStream> AcquireFileLockAsync(string path, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (deadline.Elapsed < TimeSpan.FromMinutes(5))
            {
                await Task.Delay(250, cancellationToken);
            }
        }
    }

    private static async Task RunNpmCiAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        {
            WorkingDirectory = RepositoryRoot.Launcher,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var npm = Process.Start(start) ?? throw new InvalidOperationException("npm could not be started.");
        var output = npm.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = npm.StandardError.ReadToEndAsync(cancellationToken);
        await npm.WaitForExitAsync(cancellationToken);
        if (npm.ExitCode != 0 || !File.Exists(Marker))
        {
            throw new InvalidOperationException($"npm ci in {RepositoryRoot.Launcher} failed ({npm.ExitCode}):\n{await output}\n{await errors}");
        }
    }
}
