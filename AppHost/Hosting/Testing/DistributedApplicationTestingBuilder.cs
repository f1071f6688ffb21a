namespace Vigil.AppHost.Hosting.Testing;

/// <summary>
/// Loads an AppHost's declared resources for a test run, like Aspire.Hosting.Testing: same resources as
/// `dotnet run --project AppHost`, but in a throw-away data folder, on free ports, with logs kept in files.
/// </summary>
public static class DistributedApplicationTestingBuilder
{
    public static async Task<DistributedApplicationBuilder> CreateAsync<TEntryPoint>(params string[] args)
    {
        var entryPoint = typeof(TEntryPoint).Assembly.EntryPoint
            ?? throw new InvalidOperationException($"{typeof(TEntryPoint).Assembly.GetName().Name} has no entry point.");
        var builder = await DistributedApplicationBuilder.CaptureAsync(entryPoint, args);

        builder.Options.DataDirectory = Path.Combine(builder.Options.RepositoryRoot, ".vigil", "test-runs", Guid.NewGuid().ToString("n")[..12]);
        builder.Options.EchoLogsToConsole = false;
        builder.Options.DeleteDataOnDispose = true;
        builder.Options.FreePortsOnly = true;
        return builder;
    }
}
