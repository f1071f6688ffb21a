using Vigil.AppHost.Hosting.Processes;

namespace Vigil.AppHost.Hosting;

/// <summary>
/// Finds the server binaries a resource needs. When one is missing it installs it (apt-get as root on Debian,
/// pip for moto) or, when it cannot, fails with the exact command a person should run.
/// </summary>
internal static class ServerInstaller
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    /// <param name="searchDirectories">Extra places the package puts the binary outside PATH (globs allowed in the last segment's parent, e.g. /usr/lib/postgresql/*/bin).</param>
    public static async Task<string> RequireAsync(string resource, string executable, Installation installation, ResourceContext context, CancellationToken cancellationToken, params string[] searchDirectories)
    {
        if (Find(executable, searchDirectories) is { } found) return found;

        await InstallLock.WaitAsync(cancellationToken);
        try
        {
            if (Find(executable, searchDirectories) is { } installedMeanwhile) return installedMeanwhile;
            if (!installation.CanRunHere())
                throw new ResourceStartException(resource, $"'{executable}' was not found. Install it with: {installation.Command}");

            context.Logs.Write(resource, $"'{executable}' is missing; running: {installation.Command}", isError: false);
            await installation.RunAsync(resource, context, cancellationToken);
        }
        finally
        {
            InstallLock.Release();
        }

        return Find(executable, searchDirectories)
            ?? throw new ResourceStartException(resource, $"'{executable}' is still missing after '{installation.Command}'.");
    }

    public static string? Find(string executable, IEnumerable<string> searchDirectories)
    {
        var path = Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator) ?? [];
        var candidates = searchDirectories.SelectMany(ExpandGlob).Concat(path).Concat(["/usr/sbin", "/usr/local/sbin"]);
        return candidates.Select(dir => Path.Combine(dir, executable)).FirstOrDefault(File.Exists);
    }

    private static IEnumerable<string> ExpandGlob(string directory)
    {
        if (!directory.Contains('*')) return [directory];
        var star = directory.IndexOf('*');
        var parent = Path.GetDirectoryName(directory[..star])!;
        var pattern = directory[(parent.Length + 1)..].Split('/')[0];
        var rest = directory[(parent.Length + 1 + pattern.Length)..].TrimStart('/');
        if (!Directory.Exists(parent)) return [];
        // Highest version first (postgresql/16 before postgresql/15).
        return Directory.GetDirectories(parent, pattern).OrderByDescending(d => d, StringComparer.Ordinal).Select(d => Path.Combine(d, rest));
    }
}

/// <summary>How a missing server gets installed, and the command to show when we cannot do it ourselves.</summary>
internal sealed record Installation(string Command, Func<bool> CanRunHere, Func<string, ResourceContext, CancellationToken, Task> RunAsync)
{
    public static Installation Apt(params string[] packages) => new(
        $"sudo apt-get install -y {string.Join(' ', packages)}",
        () => PosixSignals.IsRoot && File.Exists("/usr/bin/apt-get"),
        (resource, context, token) => AptInstallAsync(packages, resource, context, token));

    public static Installation Pip(string requirement) => new(
        $"python3 -m pip install '{requirement}'",
        () => ServerInstaller.Find("python3", []) is not null,
        (resource, context, token) => ChildProcess.RunToCompletionAsync(
            new ProcessSpec("python3", ["-m", "pip", "install", "--quiet", requirement]), resource, context, token));

    private static async Task AptInstallAsync(string[] packages, string resource, ResourceContext context, CancellationToken token)
    {
        // Debian's maintainer scripts would start system-wide rabbitmq/redis on their default ports; policy-rc.d
        // answering 101 forbids that, so only our private instances run.
        const string policy = "/usr/sbin/policy-rc.d";
        var placedPolicy = !File.Exists(policy);
        if (placedPolicy)
        {
            await File.WriteAllTextAsync(policy, "#!/bin/sh\nexit 101\n", token);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(policy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        try
        {
            var install = new ProcessSpec("apt-get", ["install", "-y", "-q", "--no-install-recommends", .. packages])
            {
                Environment = { ["DEBIAN_FRONTEND"] = "noninteractive" },
            };
            try
            {
                await ChildProcess.RunToCompletionAsync(install, resource, context, token);
            }
            catch (ResourceStartException)
            {
                // A fresh machine has no package lists yet.
                await ChildProcess.RunToCompletionAsync(new ProcessSpec("apt-get", ["update", "-q"]), resource, context, token);
                await ChildProcess.RunToCompletionAsync(install, resource, context, token);
            }
        }
        finally
        {
            if (placedPolicy) File.Delete(policy);
        }
    }
}
