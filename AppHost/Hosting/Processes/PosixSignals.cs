using System.Runtime.InteropServices;

namespace Vigil.AppHost.Hosting.Processes;

/// <summary>Sends POSIX signals; .NET's Process.Kill only knows SIGKILL, and servers need a polite SIGTERM/SIGINT first.</summary>
internal static partial class PosixSignals
{
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    public static bool Send(int pid, int signal) => Kill(pid, signal) == 0;

    public static bool IsAlive(int pid) => Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == 1 /* EPERM: exists, not ours */;

    public static bool IsRoot => GetEffectiveUserId() == 0;
}
