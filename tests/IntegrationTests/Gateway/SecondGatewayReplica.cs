using System.Diagnostics;
using System.Net;
using Vigil.AppHost.Resources;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Gateway;

/// <summary>
/// A second gateway process beside the fixture's, on the same Postgres, Redis and services: what a second replica
/// behind a load balancer is.
/// </summary>
internal sealed class SecondGatewayReplica : IAsyncDisposable
{
    private readonly Process process;

    private SecondGatewayReplica(Process process, Uri address) => (this.process, Address) = (process, address);

    public Uri Address { get; }

    /// <summary>Starts the replica; <paramref name="overrides"/> are environment variables set after the usual ones.</summary>
    public static async Task<SecondGatewayReplica> StartAsync(VigilAppFixture fixture, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var address = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}");
        var start = new ProcessStartInfo("dotnet", [GatewayAssembly()])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(GatewayAssembly()),
        };
        start.Environment["ASPNETCORE_URLS"] = address.ToString();
        start.Environment["ConnectionStrings__postgres"] = fixture.GetConnectionString("postgres");
        start.Environment["ConnectionStrings__redis"] = fixture.GetConnectionString("redis");
        start.Environment["Gateway__AdminKey"] = fixture.AdminKey;
        foreach (var service in VigilAppFixture.Services.Where(s => s != "gateway"))
            start.Environment[$"services__{service}__http__0"] = fixture.GetEndpoint(service).ToString().TrimEnd('/');
        foreach (var (name, value) in overrides ?? new Dictionary<string, string>())
            start.Environment[name] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var replica = new SecondGatewayReplica(process, address);
        try
        {
            await replica.WaitHealthyAsync(TimeSpan.FromSeconds(60));
            return replica;
        }
        catch
        {
            await replica.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }

    private async Task WaitHealthyAsync(TimeSpan patience)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + patience;
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The second gateway at {Address} did not become healthy (exited: {process.HasExited}).");
    }

    /// <summary>gateway/bin/{Configuration}/{TargetFramework}/Vigil.Gateway.dll, built beside this test assembly.</summary>
    private static string GatewayAssembly()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)); // tests/IntegrationTests/bin/Debug/net10.0
        var repository = output.Parent!.Parent!.Parent!.Parent!.Parent!;
        var assembly = Path.Combine(repository.FullName, "gateway", "bin", output.Parent!.Name, output.Name, "Vigil.Gateway.dll");
        return File.Exists(assembly) ? assembly : throw new FileNotFoundException("Build the gateway first.", assembly);
    }
}
