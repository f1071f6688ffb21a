using System.Diagnostics;

namespace Vigil.ObjectStore;

/// <summary>With --parent-pid: stops the store once that process is gone (checked every second), so a crashed AppHost or test host leaves no orphan.</summary>
public static class ParentWatch
{
    public static void Start(int parentPid, IHostApplicationLifetime lifetime)
    {
        var timer = new Timer(_ =>
        {
            if (!IsRunning(parentPid)) lifetime.StopApplication();
        }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        lifetime.ApplicationStopping.Register(() => timer.Dispose());
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
