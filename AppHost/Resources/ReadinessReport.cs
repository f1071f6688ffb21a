using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace Vigil.AppHost.Resources;

/// <summary>
/// Prints, under Aspire's own "Login to the dashboard at …" line, when each resource became healthy, the public
/// gateway's URL, one line when every resource is ("All resources healthy after N s"), and then a short "next steps"
/// block: where the gateway and dashboard are, where the admin key is kept, and the quickstart command.
/// </summary>
public static class ReadinessReport
{
    public const string AllHealthyPrefix = "All resources healthy after";
    public const string NextStepsHeading = "Next steps:";
    public const string QuickstartCommand = "examples/quickstart.sh";

    public static IDistributedApplicationBuilder AddReadinessReport(this IDistributedApplicationBuilder builder, IResourceBuilder<IResourceWithEndpoints> entry,
        VigilLayout? layout = null)
    {
        var clock = Stopwatch.StartNew();
        builder.Eventing.Subscribe<BeforeStartEvent>((_, _) =>
        {
            Console.WriteLine("Starting Postgres, Redis, RabbitMQ, the object store, the services and the gateway (about a minute); a line as each is healthy:");
            return Task.CompletedTask;
        });
        var ready = new HashSet<string>();
        builder.Eventing.Subscribe<ResourceReadyEvent>(entry.Resource, (_, _) =>
        {
            Console.WriteLine($"Gateway: {entry.Resource.GetEndpoint("http").Url}");
            Console.WriteLine($"Web UI: {entry.Resource.GetEndpoint("http").Url}/ui/ (sign in with an API key)");
            return Task.CompletedTask;
        });
        // Vigil's own resources: executables, less the dashboard Aspire adds to the model.
        var expected = builder.Resources.OfType<ExecutableResource>().Select(r => r.Name).ToHashSet();
        var dashboard = DashboardUrl(builder.Configuration);
        builder.Eventing.Subscribe<ResourceReadyEvent>((e, _) =>
        {
            lock (ready)
            {
                if (!expected.Contains(e.Resource.Name) || !ready.Add(e.Resource.Name)) return Task.CompletedTask;
                Console.WriteLine($"  {e.Resource.Name} healthy after {clock.Elapsed.TotalSeconds:0.0} s");
                if (!ready.SetEquals(expected)) return Task.CompletedTask;
                Console.WriteLine($"{AllHealthyPrefix} {clock.Elapsed.TotalSeconds:0.0} s ({expected.Count} resources).");
                if (layout is not null)
                    Console.WriteLine(NextSteps(entry.Resource.GetEndpoint("http").Url, dashboard, layout));
            }
            return Task.CompletedTask;
        });
        return builder;
    }

    /// <summary>The block printed once everything is healthy; paths relative to the repository when they lie inside it.</summary>
    public static string NextSteps(string gatewayUrl, string? dashboardUrl, VigilLayout layout)
    {
        var adminKey = Path.Combine(layout.DataDirectory, "gateway", "admin-key");
        var shownKey = Path.GetRelativePath(layout.RepositoryRoot, adminKey) is var relative && !relative.StartsWith("..", StringComparison.Ordinal)
            ? relative
            : adminKey;
        var lines = new List<string>
        {
            "",
            NextStepsHeading,
            $"  Gateway (the API):  {gatewayUrl}   (try {gatewayUrl}/docs)",
            $"  Vigil web UI:       {gatewayUrl}/ui/   (sign in with an API key)",
            dashboardUrl is null
                ? "  Aspire dashboard:   the 'Login to the dashboard at ...' line above (traces, logs, metrics)"
                : $"  Aspire dashboard:   {dashboardUrl}   (traces, logs, metrics; log in with the 'Login to the dashboard at ...' link above)",
            $"  Admin key:          {shownKey}   (creates API keys: POST /api/admin/keys)",
            $"  Quickstart:         {QuickstartCommand}   (in another terminal, from {layout.RepositoryRoot})",
            "  Stop everything:    Ctrl+C",
        };
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>The dashboard's browser address as launchSettings.json gives it (ASPNETCORE_URLS), first of several.</summary>
    private static string? DashboardUrl(IConfiguration configuration) =>
        configuration["ASPNETCORE_URLS"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
}
