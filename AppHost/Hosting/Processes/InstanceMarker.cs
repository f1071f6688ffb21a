namespace Vigil.AppHost.Hosting.Processes;

/// <summary>
/// Every process the AppHost starts carries VIGIL_INSTANCE=&lt;id&gt; in its environment (inherited by its children),
/// so descendants can be found in /proc after shutdown and orphans proven absent.
/// </summary>
public static class InstanceMarker
{
    public const string VariableName = "VIGIL_INSTANCE";

    /// <summary>Ids of live processes whose environment carries the given marker.</summary>
    public static IReadOnlyList<int> FindProcesses(string marker)
    {
        var needle = $"{VariableName}={marker}";
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var environment = File.ReadAllText(Path.Combine(dir, "environ"));
                if (environment.Split('\0').Contains(needle)) found.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked, or is not readable: not one of ours.
            }
        }
        return found;
    }
}
