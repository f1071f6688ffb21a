using System.Text;
using Vigil.AppHost.Hosting.Resources;

namespace Vigil.AppHost.Hosting;

/// <summary>The console summary: one row per resource with its kind, state and address.</summary>
public static class ResourceTable
{
    public static string Render(IEnumerable<Resource> resources, TimeSpan? elapsed)
    {
        var rows = resources.Select(r => new[] { r.Name, r.Kind, r.State.ToString(), Address(r) }).ToList();
        string[] header = ["RESOURCE", "KIND", "STATE", "URL"];
        var widths = Enumerable.Range(0, header.Length).Select(i => rows.Select(row => row[i].Length).Append(header[i].Length).Max()).ToArray();

        var text = new StringBuilder();
        if (elapsed is { } took) text.AppendLine($"All resources healthy in {took.TotalSeconds:0.0} s.");
        foreach (var row in rows.Prepend(header))
            text.AppendLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        foreach (var project in resources.OfType<ProjectResource>())
        {
            foreach (var (variable, file) in project.GeneratedSecretFiles)
                text.AppendLine($"{project.Name}: {variable} is in {file}");
        }
        if (elapsed is not null) text.Append("Logs follow, prefixed by resource. Press Ctrl+C to stop everything.");
        return text.ToString();
    }

    private static string Address(Resource resource) => resource switch
    {
        ProjectResource { IsExternal: true, Url: { } url } => $"{url}  (public entry)",
        { Url: { } url } => url,
        _ => "-",
    };
}
