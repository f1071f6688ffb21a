using Microsoft.Extensions.Logging;

namespace Vigil.AppHost.Resources;

/// <summary>
/// Finds the server binaries a resource needs. When one is missing it installs it (apt-get as root on Debian),
/// waiting for the dpkg lock while another install holds it, or fails with the command a person should run.
/// </summary>
internal static class ServerInstaller
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    /// <param name="searchDirectories">Places outside PATH the package puts the binary; a '*' segment matches versions, highest first.</param>
    public static async Task<string> RequireAsync(string executable, Installation installation, ILogger log, CancellationToken cancellationToken,
        params string[] searchDirectories)
    {
        if (Find(executable, searchDirectories) is { } found) return found;

        await InstallLock.WaitAsync(cancellationToken);
        try
        {
            if (Find(executable, searchDirectories) is { } installedMeanwhile) return installedMeanwhile;
            if (!installation.CanRunHere())
                throw new InvalidOperationException($"'{executable}' was not found. Install it with: {installation.Command}");
            log.LogInformation("'{Executable}' is missing; running: {Command}", executable, installation.Command);
            // The resource's log is in the dashboard; the console says it too, so a first start is never silent for minutes.
            Console.WriteLine($"'{executable}' is missing; installing it: {installation.Command} (output in the dashboard's console log of that resource)");
            await installation.RunAsync(log, cancellationToken);
        }
        finally
        {
            InstallLock.Release();
        }

        return Find(executable, searchDirectories)
            ?? throw new InvalidOperationException($"'{executable}' is still missing after '{installation.Command}'.");
    }

    public static string? Find(string executable, IEnumerable<string> searchDirectories)
    {
        var path = Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator) ?? [];
        var candidates = searchDirectories.SelectMany(ExpandVersions).Concat(path).Concat(["/usr/sbin", "/usr/local/sbin"]);
        return candidates.Select(dir => Path.Combine(dir, executable)).FirstOrDefault(File.Exists);
    }

    private static IEnumerable<string> ExpandVersions(string directory)
    {
        var star = directory.IndexOf('*');
        if (star < 0) return [directory];
        var parent = Path.GetDirectoryName(directory[..star])!;
        var rest = directory[(directory.IndexOf('/', star) is var slash && slash < 0 ? directory.Length : slash)..].TrimStart('/');
        if (!Directory.Exists(parent)) return [];
        return Directory.GetDirectories(parent).OrderByDescending(d => d, StringComparer.Ordinal).Select(d => Path.Combine(d, rest));
    }
}

/// <summary>How a missing server gets installed, and the command to show when we cannot do it ourselves.</summary>
internal sealed record Installation(string Command, Func<bool> CanRunHere, Func<ILogger, CancellationToken, Task> RunAsync)
{
    /// <summary>How long apt-get waits for the dpkg lock another install holds before it gives up.</summary>
    private const int DpkgLockTimeoutSeconds = 600;

    public static Installation Apt(params string[] packages) => new(
        $"sudo apt-get install -y {string.Join(' ', packages)}",
        () => Environment.UserName == "root" && File.Exists("/usr/bin/apt-get"),
        (log, token) => AptInstallAsync(packages, log, token));

    private static async Task AptInstallAsync(string[] packages, ILogger log, CancellationToken token)
    {
        // Debian's maintainer scripts would start system-wide rabbitmq/redis on their default ports; policy-rc.d
        // answering 101 forbids that, so only our private instances run.
        const string policy = "/usr/sbin/policy-rc.d";
        var placedPolicy = !File.Exists(policy);
        if (placedPolicy)
        {
            await File.WriteAllTextAsync(policy, "#!/bin/sh\nexit 101\n", token);
            File.SetUnixFileMode(policy, (UnixFileMode)0b111_101_101);
        }
        try
        {
            await DpkgLock.WaitAsync(log, DpkgLock.DefaultTimeout, TimeSpan.FromSeconds(2), token);
            string[] waitForLock = ["-o", $"DPkg::Lock::Timeout={DpkgLockTimeoutSeconds}"];
            var environment = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
            string[] install = ["install", "-y", "-q", "--no-install-recommends", .. waitForLock, .. packages];
            try
            {
                await ToolProcess.RunAsync("apt-get", install, log, token, environment);
            }
            catch (InvalidOperationException)
            {
                // A fresh machine has no package lists yet.
                await ToolProcess.RunAsync("apt-get", ["update", "-q", .. waitForLock], log, token, environment);
                await ToolProcess.RunAsync("apt-get", install, log, token, environment);
            }
        }
        finally
        {
            if (placedPolicy) File.Delete(policy);
        }
    }
}
