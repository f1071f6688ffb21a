using System.Runtime.InteropServices;

namespace Vigil.Chaos;

/// <summary>
/// Signals a process and every descendant (a server's workers too: Postgres backends, RabbitMQ's Erlang VM under its
/// wrapper), read from /proc. Linux only, like the servers the AppHost starts.
/// </summary>
internal static partial class ProcessTree
{
    public const int SigKill = 9;
    public const int SigCont = 18;
    public const int SigStop = 19;

    public static void Signal(int root, int signal)
    {
        // Parents first for SIGSTOP (so none can react to a stopped child), children first for SIGKILL and SIGCONT.
        var tree = Descendants(root).Prepend(root).ToList();
        if (signal != SigStop) tree.Reverse();
        foreach (var pid in tree)
            if (kill(pid, signal) != 0 && Marshal.GetLastPInvokeError() != 3 /* ESRCH: already gone */)
                throw new InvalidOperationException($"kill({pid}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}.");
    }

    private static IEnumerable<int> Descendants(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            if (ParentOf(directory) is not { } parent) continue;
            if (!children.TryGetValue(parent, out var list)) children[parent] = list = [];
            list.Add(pid);
        }
        var pending = new Stack<int>([root]);
        while (pending.TryPop(out var pid))
            foreach (var child in children.GetValueOrDefault(pid) ?? [])
            {
                yield return child;
                pending.Push(child);
            }
    }

    /// <summary>The 4th field of /proc/PID/stat, after the command name in parentheses (which may hold spaces).</summary>
    private static int? ParentOf(string directory)
    {
        try
        {
            var stat = File.ReadAllText(Path.Combine(directory, "stat"));
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null; // exited while we looked
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
