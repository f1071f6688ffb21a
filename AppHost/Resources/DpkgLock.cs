using Microsoft.Extensions.Logging;

namespace Vigil.AppHost.Resources;

/// <summary>
/// Waits, bounded and saying so, while another install (unattended-upgrades, a provisioning script, a second AppHost)
/// holds the dpkg or apt locks, instead of letting apt-get fail on them. The holders are the processes with one of the
/// lock files open, found in /proc; apt-get's own DPkg::Lock::Timeout stays as a second guard.
/// </summary>
internal static class DpkgLock
{
    public static readonly IReadOnlyList<string> LockFiles =
        ["/var/lib/dpkg/lock-frontend", "/var/lib/dpkg/lock", "/var/lib/apt/lists/lock", "/var/cache/apt/archives/lock"];

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Processes (other than this one) with a lock file open: pid and command name.</summary>
    public static IReadOnlyList<(int Pid, string Command)> Holders(string procRoot = "/proc", IReadOnlyCollection<string>? lockFiles = null)
    {
        lockFiles ??= [.. LockFiles];
        var holders = new List<(int, string)>();
        if (!Directory.Exists(procRoot)) return holders;
        foreach (var process in Directory.EnumerateDirectories(procRoot))
        {
            if (!int.TryParse(Path.GetFileName(process), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                var fds = Path.Combine(process, "fd");
                if (!Directory.Exists(fds)) continue;
                if (!Directory.EnumerateFileSystemEntries(fds).Any(fd => new FileInfo(fd).LinkTarget is { } target && lockFiles.Contains(target))) continue;
                var command = File.Exists(Path.Combine(process, "comm")) ? File.ReadAllText(Path.Combine(process, "comm")).Trim() : "?";
                holders.Add((pid, command));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked, or is not ours to read.
            }
        }
        return holders;
    }

    /// <summary>Returns once no process holds a lock; tells the console and the resource log while it waits; throws after <paramref name="timeout"/>.</summary>
    public static async Task WaitAsync(ILogger log, TimeSpan timeout, TimeSpan poll, CancellationToken cancellationToken,
        Func<IReadOnlyList<(int Pid, string Command)>>? findHolders = null)
    {
        findHolders ??= () => Holders();
        var waited = TimeSpan.Zero;
        var lastNotice = TimeSpan.MinValue;
        while (findHolders() is { Count: > 0 } holders)
        {
            var who = string.Join(", ", holders.Select(h => $"{h.Command} (pid {h.Pid})"));
            if (waited >= timeout)
                throw new InvalidOperationException(
                    $"The dpkg/apt lock is still held by {who} after {timeout.TotalMinutes:0.#} min. Let that install finish (or stop it), then start again.");
            if (lastNotice == TimeSpan.MinValue || waited - lastNotice >= TimeSpan.FromSeconds(30))
            {
                var message = $"Waiting for the dpkg lock, held by {who}: {waited.TotalSeconds:0} s so far, at most {timeout.TotalMinutes:0.#} min.";
                Console.WriteLine(message);
                log.LogInformation("{Message}", message);
                lastNotice = waited;
            }
            await Task.Delay(poll, cancellationToken);
            waited += poll;
        }
    }
}
