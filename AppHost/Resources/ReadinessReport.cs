using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;

namespace Vigil.AppHost.Resources;

/// <summary>
/// Prints, under Aspire's own "Login to the dashboard at …" line, when each resource became healthy, the public
/// gateway's URL, and one line when every resource is: "All resources healthy after N s".
/// </summary>
public static class ReadinessReport
{
    public const string AllHealthyPrefix = "All resources healthy after";

    public static IDistributedApplicationBuilder AddReadinessReport(this IDistributedApplicationBuilder builder, IResourceBuilder<IResourceWithEndpoints> entry)
    {
        var clock = Stopwatch.StartNew();
        var ready = new HashSet<string>();
        builder.Eventing.Subscribe<ResourceReadyEvent>(entry.Resource, (_, _) =>
        {
            Console.WriteLine($"Gateway: {entry.Resource.GetEndpoint("http").Url}");
            Console.WriteLine($"Dashboard: {entry.Resource.GetEndpoint("http").Url}/ui/ (sign in with an API key)");
            return Task.CompletedTask;
        });
        // Vigil's own resources: executables, less the dashboard Aspire adds to the model.
        var expected = builder.Resources.OfType<ExecutableResource>().Select(r => r.Name).ToHashSet();
        builder.Eventing.Subscribe<ResourceReadyEvent>((e, _) =>
        {
            lock (ready)
            {
                if (!expected.Contains(e.Resource.Name) || !ready.Add(e.Resource.Name)) return Task.CompletedTask;
                Console.WriteLine($"  {e.Resource.Name} healthy after {clock.Elapsed.TotalSeconds:0.0} s");
                if (ready.SetEquals(expected))
                    Console.WriteLine($"{AllHealthyPrefix} {clock.Elapsed.TotalSeconds:0.0} s ({expected.Count} resources).");
            }
            return Task.CompletedTask;
        });
        return builder;
    }
}
