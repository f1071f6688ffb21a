using Microsoft.Playwright;
using Vigil.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Vigil.IntegrationTests.Telemetry;

/// <summary>What a developer sees: the dashboard's trace view in a real (headless) Chromium, captured as a screenshot.</summary>
[Collection(VigilAppCollection.Name)]
public sealed class DashboardBrowserTests(VigilAppFixture fixture, ITestOutputHelper output)
{
    private static readonly string[] ChromiumFlags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ];

    [ChromiumFact]
    public async Task The_dashboard_trace_view_shows_the_batch_spans_of_every_service()
    {
        var traceId = await TracedBatch.SubmitAsync(fixture);
        await fixture.Telemetry.WaitForSpansAsync(all => TracedBatch.Services.All(service => all.Any(s => s.TraceId == traceId && s.ServiceName == service)),
            TimeSpan.FromSeconds(60), traceId);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.ExecutablePath,
            Headless = true,
            Args = ChromiumFlags,
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1200 } });
        page.SetDefaultTimeout(60_000);
        // The login URL sets the dashboard's auth cookie; the trace's own page follows.
        await page.GotoAsync(fixture.DashboardLoginUrl.ToString());
        await page.GotoAsync(new Uri(fixture.Telemetry.Dashboard, $"/traces/detail/{traceId}").ToString());
        foreach (var service in TracedBatch.Services)
            await page.GetByText(service, new PageGetByTextOptions { Exact = false }).First.WaitForAsync();

        var screenshot = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true });
        var saved = Path.Combine(Path.GetTempPath(), $"vigil-dashboard-trace-{traceId[..8]}.png");
        await File.WriteAllBytesAsync(saved, screenshot);
        output.WriteLine($"Screenshot of the trace view: {saved} ({screenshot.Length:N0} bytes)");

        // A rendered waterfall, not a blank or error page: a PNG of real size, and the view lists every service's spans.
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], screenshot[..4]);
        Assert.True(screenshot.Length > 40_000, $"the screenshot is only {screenshot.Length} bytes");
        var text = await page.InnerTextAsync("body");
        Assert.Contains(traceId[..7], text);
        Assert.All(TracedBatch.Services, service => Assert.Contains(service, text));
    }
}
