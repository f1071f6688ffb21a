using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Vigil.AppHost.Resources;
using Vigil.Events.LoadTest;

// Load generator for POST /api/datasets/{name}/events (see README.md): against a running gateway (--gateway), or
// against the whole application started here from the AppHost's declaration (the integration tests' way).
var options = LoadOptions.Parse(args);
DistributedApplication? app = null;
try
{
    var gatewayUrl = options.Gateway;
    if (gatewayUrl is null)
    {
        Console.WriteLine("Starting the application from the AppHost declaration (no --gateway given)...");
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<VigilLayout>();
        app = await builder.BuildAsync();
        await app.StartAsync();
        await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway");
        gatewayUrl = app.GetEndpoint("gateway", "http");
        // Every call needs an API key: without --api-key, one is made with the admin key the gateway was started with.
        options = options with { ApiKey = options.ApiKey ?? await LoadTestKey.CreateAsync(gatewayUrl, VigilLayout.From(builder.Configuration)) };
    }

    using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Connections, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
    using var gateway = new HttpClient(handler) { BaseAddress = gatewayUrl, Timeout = TimeSpan.FromSeconds(30) };
    if (options.ApiKey is { } key) gateway.DefaultRequestHeaders.Add("X-Api-Key", key);
    var run = new LoadRun(gateway, options);

    Console.WriteLine($"Gateway {gatewayUrl}; {options.Connections} connections, {options.EventsPerRequest} events per request, " +
                      $"{options.DurationSeconds} s per rate, {options.Accounts} accounts, {options.OutlierShare:P1} outliers; {Environment.ProcessorCount} cores.");
    if (!options.FindMax)
    {
        var result = await run.RunAsync(await run.RegisterDatasetAsync(), options.Rate);
        Console.WriteLine(result);
        return result.Refused429 == 0 && result.Failed == 0 && result.EventP95 <= options.P95LimitMs ? 0 : 2;
    }

    LoadResult? best = null;
    for (var rate = options.Rate; rate <= options.MaxRate; rate += options.StepRate)
    {
        var result = await run.RunAsync(await run.RegisterDatasetAsync(), rate);
        Console.WriteLine(result);
        var sustained = result.Refused429 == 0 && result.Failed == 0 && result.AchievedRate >= 0.95 * rate
                        && result.Scored >= result.Accepted && result.EventP95 <= options.P95LimitMs;
        if (!sustained) break;
        best = result;
    }
    Console.WriteLine(best is null
        ? $"No rate from {options.Rate}/s was sustained with p95 under {options.P95LimitMs} ms."
        : $"Maximum sustained rate: {best.TargetRate} events/s (p95 accept->persisted {best.EventP95:0} ms, upper bound).");
    return 0;
}
finally
{
    if (app is not null) await app.DisposeAsync();
}
