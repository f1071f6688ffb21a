namespace Vigil.ObjectStore.Benchmark;

/// <summary>The CPU time (user + system) a process has used so far, from /proc/&lt;pid&gt;/stat (Linux only).</summary>
public static class ProcessCpu
{
    // Linux reports these in clock ticks, USER_HZ, which is 100 on every architecture .NET runs on.
    private const double TicksPerSecond = 100;

    public static TimeSpan Of(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        // The command name (field 2) is in parentheses and may hold spaces; the fields after it are space-separated,
        // utime and stime being the 14th and 15th of the whole line.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
