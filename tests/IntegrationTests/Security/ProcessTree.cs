using System.Globalization;

namespace Vigil.IntegrationTests.Security;

/// <summary>
/// The processes of the Vigil this test run started: the test host (the AppHost runs inside it), Aspire's DCP (started
/// with "--monitor &lt;test host pid&gt;", possibly detached from the tree) and every descendant of either: servers,
/// services, the dashboard.
/// </summary>
public static class ProcessTree
{
    public sealed record ProcessInfo(int Pid, int ParentPid, string Name, string CommandLine);

    public static IReadOnlyList<ProcessInfo> All(string procRoot = "/proc")
    {
        var processes = new List<ProcessInfo>();
        foreach (var directory in Directory.EnumerateDirectories(procRoot))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so read after the last ')'.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var close = stat.LastIndexOf(')');
                var name = stat[(stat.IndexOf('(') + 1)..close];
                var parent = int.Parse(stat[(close + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').Trim();
                processes.Add(new ProcessInfo(pid, parent, name, commandLine));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                // Gone while we looked.
            }
        }
        return processes;
    }

    /// <summary>The roots and every process descending from one of them.</summary>
    public static IReadOnlyList<ProcessInfo> Of(int rootPid, IReadOnlyList<ProcessInfo> processes)
    {
        var monitor = $"--monitor {rootPid.ToString(CultureInfo.InvariantCulture)}";
        var members = processes.Where(p => p.Pid == rootPid || p.CommandLine.Contains(monitor, StringComparison.Ordinal)).Select(p => p.Pid).ToHashSet();
        bool grew;
        do
        {
            grew = false;
            foreach (var process in processes)
                if (!members.Contains(process.Pid) && members.Contains(process.ParentPid)) grew |= members.Add(process.Pid);
        } while (grew);
        return [.. processes.Where(p => members.Contains(p.Pid))];
    }
}
