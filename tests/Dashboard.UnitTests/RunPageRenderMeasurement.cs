using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Vigil.Dashboard.UnitTests;

/// <summary>
/// How long the run page takes to render a run with 10,000 anomalies: the real dashboard process (its build output)
/// against a stand-in gateway on loopback that serves such a run, signed in as a person would. Logged, not asserted
/// against a time (this machine's load varies); the assertions check the page shows the run.
/// </summary>
public sealed class RunPageRenderMeasurement(ITestOutputHelper output)
{
    private const int Anomalies = 10_000;
    private static readonly Guid RunId = Guid.Parse("6f1c1c9e-0000-4000-8000-000000010000");

    [Fact]
    public async Task Run_page_with_10000_anomalies_renders_each_page_of_fifty()
    {
        await using var gateway = await StandInGateway.StartAsync(Anomalies);
        using var dashboard = DashboardProcess.Start(gateway.Address);
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = dashboard.Address };
        await dashboard.WaitUntilHealthyAsync(http);
        await SignInAsync(http);

        var first = await MeasureAsync(http, $"/ui/runs/{RunId}", 30);
        var last = await MeasureAsync(http, $"/ui/runs/{RunId}?p={Anomalies / 50}", 30);
        var blocked = await MeasureAsync(http, $"/ui/runs/{RunId}?decision=block&p=40", 30);

        var html = await http.GetStringAsync($"/ui/runs/{RunId}?p={Anomalies / 50}");
        Assert.True(html.Contains($"9951-10000 of {Anomalies} anomalies", StringComparison.Ordinal), Regex.Match(html, "anomaly-total[^<]*").Value);
        Assert.Equal(50, Regex.Matches(html, "<tr class=\"(block|review)\">").Count);
        output.WriteLine($"run page, {Anomalies} anomalies: first page median {first.Median:0.0} ms (p90 {first.P90:0.0}), last page median {last.Median:0.0} ms (p90 {last.P90:0.0}), block filter page 40 median {blocked.Median:0.0} ms (p90 {blocked.P90:0.0}); load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    }

    private static async Task SignInAsync(HttpClient http)
    {
        var form = await http.GetStringAsync("/ui/signin");
        var token = Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        using var response = await http.PostAsync("/ui/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = "stand-in-key-0001", ["__RequestVerificationToken"] = token }));
        response.EnsureSuccessStatusCode();
        Assert.DoesNotContain("signin", response.RequestMessage!.RequestUri!.AbsolutePath);
    }

    private static async Task<(double Median, double P90)> MeasureAsync(HttpClient http, string path, int times)
    {
        for (var i = 0; i < 3; i++) (await http.GetAsync(path)).EnsureSuccessStatusCode(); // warm-up: compiled views, connections
        var samples = new List<double>();
        for (var i = 0; i < times; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            samples.Add(clock.Elapsed.TotalMilliseconds);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(body.Contains("<table id=\"anomalies\">", StringComparison.Ordinal), body);
        }
        samples.Sort();
        return (samples[samples.Count / 2], samples[(int)(samples.Count * 0.9)]);
    }

    /// <summary>The dashboard's build output run as its own process, pointed at the stand-in gateway.</summary>
    private sealed class DashboardProcess : IDisposable
    {
        private readonly Process _process;

        private DashboardProcess(Process process, Uri address) => (_process, Address) = (process, address);

        public Uri Address { get; }

        public static DashboardProcess Start(Uri gateway)
        {
            var dll = typeof(Vigil.Dashboard.Api.VigilApi).Assembly.Location;
            var port = FreePort();
            var start = new ProcessStartInfo("dotnet", [dll])
            {
                WorkingDirectory = Path.GetDirectoryName(dll)!,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment["Dashboard__GatewayUrl"] = gateway.ToString();
            start.Environment["Logging__LogLevel__Default"] = "Warning";
            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return new DashboardProcess(process, new Uri($"http://127.0.0.1:{port}"));
        }

        public async Task WaitUntilHealthyAsync(HttpClient http)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline)
            {
                try
                {
                    using var response = await http.GetAsync("/health");
                    if (response.IsSuccessStatusCode) return;
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }
                await Task.Delay(200);
            }
            throw new TimeoutException("The dashboard did not start within 60 s.");
        }

        private static int FreePort()
        {
            using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
            _process.Dispose();
        }
    }

    /// <summary>A loopback server answering the API calls the run page makes, for one run with <c>anomalies</c> anomalies.</summary>
    private sealed class StandInGateway : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private StandInGateway(WebApplication app, Uri address) => (_app, Address) = (app, address);

        public Uri Address { get; }

        public static async Task<StandInGateway> StartAsync(int anomalies)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var all = Enumerable.Range(0, anomalies).Select(i => new
            {
                row = (long)i + 1,
                modelVersion = 3,
                key = new Dictionary<string, string?> { ["payment_id"] = $"p-{i:D6}" },
                risk = 100 - i * 50.0 / anomalies,
                decision = i % 4 == 0 ? "block" : "review",
                topFeatures = new[] { "amount", "fee" },
            }).ToList();
            var now = DateTimeOffset.UtcNow;
            app.MapGet("/api/datasets", () => Results.Json(Array.Empty<object>()));
            app.MapGet("/api/runs/{id:guid}", (Guid id) => Results.Json(new
            {
                runId = id, dataset = "bench.payments", executionDate = "2026-12-01", status = "completed", startedAt = now.AddSeconds(-9), completedAt = now,
                durationMs = 9000.0, rowCount = 1_000_000L, anomalyCount = (long)anomalies, device = "cpu", modelVersion = "3",
                reports = new Dictionary<string, string> { ["validation"] = "k1", ["scores"] = "k2" },
                stages = new[] { "ingest", "validate", "score" }.Select((s, i) => new { stage = s, status = "completed", startedAt = now.AddSeconds(-9 + 3 * i), completedAt = now.AddSeconds(-6 + 3 * i), durationMs = 3000.0, rows = 1_000_000L, rowsPerSecond = 333_333.0, peakMemoryBytes = 200_000_000L, detail = (string?)null }),
                validation = new { dqScore = 97.5, rulesFailed = 1, rulesChecked = 2, drift = Array.Empty<string>(), datasetVersion = 1 },
                decisionCounts = new Dictionary<string, long> { ["approve"] = 1_000_000L - anomalies, ["review"] = anomalies - anomalies / 4, ["block"] = anomalies / 4 },
            }));
            app.MapGet("/api/runs/{id:guid}/reports/validation", () => Results.Json(new
            {
                outcome = "validated", rowCount = 1_000_000L,
                rules = new
                {
                    results = new[] { new { name = "amount_range", kind = "range", columns = new[] { "amount" }, severity = "warning", passed = false, failingRows = 2500L, checkedRows = 1_000_000L,
                    samples = Enumerable.Range(0, 5).Select(i => new { row = (long)i, keys = new Dictionary<string, string?> { ["payment_id"] = $"p-{i}" }, values = new Dictionary<string, string?> { ["amount"] = "99999" } }), message = "2500 rows out of range" } }
                },
                drift = new { findings = Array.Empty<object>() },
            }));
            app.MapGet("/api/runs/{id:guid}/anomalies", (string? decision, int limit, int offset) =>
            {
                var filtered = decision is null ? all : all.Where(a => a.decision == decision).ToList();
                return Results.Json(new { items = filtered.Skip(offset).Take(limit), total = (long)filtered.Count, limit, offset });
            });
            app.MapGet("/api/runs/{id:guid}/scores", () => Results.Json(Array.Empty<object>()));
            app.MapGet("/api/lineage/datasets/{name}", () => Results.Problem(statusCode: 404, title: "No lineage"));
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new StandInGateway(app, new Uri(address));
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
