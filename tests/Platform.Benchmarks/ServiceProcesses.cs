using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Vigil.Platform.Benchmarks;

/// <summary>
/// CPU time and peak resident memory of each service process the AppHost started, read from /proc: peak memory is the
/// kernel's high-water mark (VmHWM), reset before each measured batch by writing 5 to clear_refs.
/// </summary>
public sealed class ServiceProcesses
{
    public static readonly string[] Services = ["gateway", "ingest", "validation", "scoring", "lineage", "alerting"];

    private readonly Dictionary<string, int> _pids;

    private ServiceProcesses(Dictionary<string, int> pids) => _pids = pids;

    public static ServiceProcesses Of(DistributedApplication app)
    {
        var pids = new Dictionary<string, int>();
        foreach (var service in Services)
        {
            if (!app.ResourceNotifications.TryGetCurrentState(service, out var state)) continue;
            var pid = state.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value;
            if (pid is not null) pids[service] = Convert.ToInt32(pid, CultureInfo.InvariantCulture);
        }
        return new ServiceProcesses(pids);
    }

    public sealed record Sample(double CpuSeconds, long PeakResidentBytes, long ResidentBytes);

    /// <summary>Starts a measured interval: every service's high-water mark goes back to its current resident size.</summary>
    public IReadOnlyDictionary<string, Sample> Begin()
    {
        foreach (var pid in _pids.Values)
        {
            try { File.WriteAllText($"/proc/{pid}/clear_refs", "5"); }
            catch (IOException) { } // the process has gone: its row will say so
            catch (UnauthorizedAccessException) { }
        }
        return Read();
    }

    public IReadOnlyDictionary<string, Sample> Read() =>
        _pids.Where(p => Directory.Exists($"/proc/{p.Value}")).ToDictionary(p => p.Key, p => Measure(p.Value));

    private static Sample Measure(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // utime and stime are fields 14 and 15 of stat (12 and 13 after the command name), in clock ticks of 1/100 s.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        long Kilobytes(string name) => File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith(name + ":", StringComparison.Ordinal))
            .Select(l => long.Parse(l[(name.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)).FirstOrDefault();
        return new Sample(ticks / 100.0, Kilobytes("VmHWM") * 1024, Kilobytes("VmRSS") * 1024);
    }
}
