using System.Text.RegularExpressions;

namespace Vigil.AppHost.Hosting;

/// <summary>Pure rules over the declared resources: names, cycles, and which resources a subset needs.</summary>
public static partial class ResourceGraph
{
    [GeneratedRegex(@"^[a-z][a-z0-9]*(-[a-z0-9]+)*\z")]
    private static partial Regex KebabCase();

    public static bool IsValidName(string name) => KebabCase().IsMatch(name);

    /// <summary>Resources a resource needs running: what it waits for and what it references.</summary>
    public static IEnumerable<Resource> DependenciesOf(Resource resource) => resource.WaitsFor.Concat(resource.References).Distinct();

    /// <summary>The named resources plus everything they depend on, transitively.</summary>
    public static IReadOnlyList<Resource> Closure(IEnumerable<Resource> all, IEnumerable<string> names)
    {
        var byName = all.ToDictionary(r => r.Name);
        var selected = new HashSet<Resource>();
        var pending = new Stack<Resource>(names.Select(n => byName.TryGetValue(n, out var r) ? r : throw new ArgumentException($"No resource named '{n}'.")));
        while (pending.TryPop(out var next))
        {
            if (!selected.Add(next)) continue;
            foreach (var dependency in DependenciesOf(next)) pending.Push(dependency);
        }
        return [.. all.Where(selected.Contains)];
    }

    public static void ThrowIfCyclic(IReadOnlyList<Resource> resources)
    {
        var done = new HashSet<Resource>();
        var path = new List<Resource>();
        foreach (var resource in resources) Visit(resource);

        void Visit(Resource resource)
        {
            if (done.Contains(resource)) return;
            if (path.Contains(resource))
                throw new InvalidOperationException($"Resources depend on each other in a cycle: {string.Join(" -> ", path.SkipWhile(r => r != resource).Append(resource).Select(r => r.Name))}.");
            path.Add(resource);
            foreach (var dependency in DependenciesOf(resource)) Visit(dependency);
            path.RemoveAt(path.Count - 1);
            done.Add(resource);
        }
    }
}
