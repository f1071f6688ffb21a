using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Vigil.Platform.Benchmarks;

/// <summary>
/// CPU time and peak resident memory of each service process and each server the AppHost started, read from /proc: peak
/// memory is the kernel's high-water mark (VmHWM), reset before each measured batch by writing 5 to clear_refs. A server
/// counts with every process under it (Postgres' backends, the broker under its wrapper).
/// </summary>
public sealed class ServiceProcesses
{
    public static readonly string[] Services = ["gateway", "ingest", "validation", "scoring", "lineage", "alerting"];

    public static readonly string[] Servers = ["objectstore", "postgres", "rabbitmq", "redis"];

    public static IEnumerable<string> All => Services.Concat(Servers);

    private readonly Dictionary<string, int> _pids;

    private ServiceProcesses(Dictionary<string, int> pids) => _pids = pids;

    public static ServiceProcesses Of(DistributedApplication app)
    {
        var pids = new Dictionary<string, int>();
        foreach (var service in All)
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
        var children = ChildrenByParent();
        foreach (var pid in _pids.Values.SelectMany(root => Tree(root, children)))
        {
            try { File.WriteAllText($"/proc/{pid}/clear_refs", "5"); }
            catch (IOException) { } // the process has gone: its row will say so
            catch (UnauthorizedAccessException) { }
        }
        return Read();
    }

    public IReadOnlyDictionary<string, Sample> Read()
    {
        var children = ChildrenByParent();
        return _pids.Where(p => Directory.Exists($"/proc/{p.Value}")).ToDictionary(p => p.Key, p => Measure(p.Value, children));
    }

    private static Sample Measure(int root, Dictionary<int, List<int>> children)
    {
        var samples = Tree(root, children).Select(MeasureOne).OfType<Sample>().ToList();
        return new Sample(samples.Sum(s => s.CpuSeconds), samples.Sum(s => s.PeakResidentBytes), samples.Sum(s => s.ResidentBytes));
    }

    /// <summary>Every living process's children, from one pass over /proc (a sample reads it once for every service).</summary>
    private static Dictionary<int, List<int>> ChildrenByParent()
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                if (!children.TryGetValue(parent, out var list)) children[parent] = list = [];
                list.Add(pid);
            }
            catch (IOException) { } // it ended while the tree was read
        }
        return children;
    }

    /// <summary>The process and every living process under it.</summary>
    private static List<int> Tree(int root, Dictionary<int, List<int>> children)
    {
        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++) tree.AddRange(children.GetValueOrDefault(tree[i]) ?? []);
        return tree;
    }

    private static Sample? MeasureOne(int pid)
    {
        try
        {
            return MeasureProcess(pid);
        }
        catch (IOException)
        {
            return null; // it ended between listing and reading
        }
    }

    private static Sample MeasureProcess(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // utime and stime are fields 14 and 15 of stat (12 and 13 after the command name), in clock ticks of 1/100 s.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        var status = File.ReadAllLines($"/proc/{pid}/status");
        long Kilobytes(string name) => status.Where(l => l.StartsWith(name + ":", StringComparison.Ordinal))
            .Select(l => long.Parse(l[(name.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)).FirstOrDefault();
        return new Sample(ticks / 100.0, Kilobytes("VmHWM") * 1024, Kilobytes("VmRSS") * 1024);
    }
}
