using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;
using Vigil.ServiceDefaults.Telemetry;

namespace Vigil.ServiceDefaults.UnitTests.Telemetry;

/// <summary>A service with AddServiceDefaults, on Kestrel, exporting (or not) to an OTLP endpoint of the test's own.</summary>
public sealed class ServiceDefaultsExportTests
{
    private const string Service = "defaults-test";

    [Fact]
    public async Task With_an_OTLP_endpoint_request_spans_and_Vigils_own_spans_are_exported_without_health_probes()
    {
        await using var sink = await OtlpTraceSink.StartAsync();
        await using var app = await StartAsync(("OTEL_EXPORTER_OTLP_ENDPOINT", sink.Endpoint.ToString()));

        using var http = new HttpClient { BaseAddress = Address(app) };
        (await http.GetAsync("/health")).Dispose();
        (await http.GetAsync("/alive")).Dispose();
        (await http.GetAsync("/api/work/7")).Dispose();
        Assert.True(app.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));

        // The request span is named after its route from the root; Vigil's own span and the service name travel with it.
        await sink.WaitForExportsWithAsync(TimeSpan.FromSeconds(20), Service, "GET /api/work/{id:int}", "vigil work");
        // Server spans carry the path as url.path (the work request's shows the pattern finds one); the test's own
        // client spans (url.full) may name the probes.
        Assert.Contains(sink.Exports, e => ServerSpanFor("/api/work/7").IsMatch(e));
        Assert.DoesNotContain(sink.Exports, e => ServerSpanFor("/health").IsMatch(e) || ServerSpanFor("/alive").IsMatch(e));
    }

    [Fact]
    public async Task Without_OTEL_EXPORTER_OTLP_ENDPOINT_nothing_is_exported_even_where_a_signal_endpoint_is_set()
    {
        await using var sink = await OtlpTraceSink.StartAsync();
        // Were the exporter added regardless, this per-signal setting would send the traces to the sink.
        await using var app = await StartAsync(("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", new Uri(sink.Endpoint, "/v1/traces").ToString()));

        using var http = new HttpClient { BaseAddress = Address(app) };
        (await http.GetAsync("/api/work/1")).Dispose();
        Assert.True(app.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));
        await Task.Delay(500);

        Assert.Equal(0, sink.TraceRequests);
    }

    private static async Task<WebApplication> StartAsync(params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = Service, EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create<string, string?>(s.Key, s.Value))
            .Append(KeyValuePair.Create<string, string?>("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")));
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.AddServiceDefaults();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        // Mapped as services map their groups, without the leading slash; spans name the route from the root.
        app.MapGroup("api/work").MapGet("{id:int}", (int id) =>
        {
            using var activity = VigilTelemetry.Source.StartActivity("vigil work");
            activity?.SetTag("vigil.work.id", id);
            return id;
        });
        await app.StartAsync();
        return app;
    }

    /// <summary>The attribute url.path = <paramref name="path"/> as protobuf writes it: key, then the value a few bytes on.</summary>
    private static System.Text.RegularExpressions.Regex ServerSpanFor(string path) =>
        new($@"url\.path[\s\S]{{2,6}}{System.Text.RegularExpressions.Regex.Escape(path)}");

    private static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
}
