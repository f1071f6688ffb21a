using Microsoft.Extensions.Logging.Abstractions;
using Vigil.AppHost.Resources;

namespace Vigil.AppHost.UnitTests;

public sealed class DpkgLockTests
{
    [Fact]
    public void Holders_are_the_processes_with_a_lock_file_open()
    {
        using var proc = new TempDirectory();
        FakeProcess(proc.Path, 4100, "apt-get", "/var/lib/dpkg/lock-frontend", "/dev/null");
        FakeProcess(proc.Path, 4200, "bash", "/dev/null", "pipe:[1234]");
        FakeProcess(proc.Path, 4300, "unattended-upgr", "/var/lib/apt/lists/lock");

        var holders = DpkgLock.Holders(proc.Path);

        Assert.Equal([(4100, "apt-get"), (4300, "unattended-upgr")], holders.OrderBy(h => h.Pid));
    }

    [Fact]
    public async Task The_wait_ends_when_the_lock_is_released()
    {
        var answers = new Queue<IReadOnlyList<(int, string)>>([[(7, "apt-get")], [(7, "apt-get")], []]);

        await DpkgLock.WaitAsync(NullLogger.Instance, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(10), CancellationToken.None, answers.Dequeue);

        Assert.Empty(answers);
    }

    [Fact]
    public async Task A_lock_held_past_the_limit_fails_naming_its_holder()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            DpkgLock.WaitAsync(NullLogger.Instance, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(10), CancellationToken.None,
                () => [(99, "apt-get")]));

        Assert.Contains("apt-get (pid 99)", error.Message, StringComparison.Ordinal);
    }

    private static void FakeProcess(string proc, int pid, string command, params string[] openFiles)
    {
        var folder = Directory.CreateDirectory(Path.Combine(proc, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        File.WriteAllText(Path.Combine(folder.FullName, "comm"), command + "\n");
        var fds = Directory.CreateDirectory(Path.Combine(folder.FullName, "fd"));
        for (var fd = 0; fd < openFiles.Length; fd++) File.CreateSymbolicLink(Path.Combine(fds.FullName, fd.ToString(System.Globalization.CultureInfo.InvariantCulture)), openFiles[fd]);
    }
}
