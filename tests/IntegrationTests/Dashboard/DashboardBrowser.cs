using Microsoft.Playwright;
using Vigil.IntegrationTests.Infrastructure;
using Vigil.IntegrationTests.Telemetry;
using Xunit.Abstractions;

namespace Vigil.IntegrationTests.Dashboard;

/// <summary>
/// Vigil's web dashboard in headless Debian Chromium, reached through the gateway at /ui as a person would. Every page
/// visited is checked for the signed-in key (never in the HTML or the address); screenshots go to
/// tests/IntegrationTests/TestResults/dashboard/.
/// </summary>
internal sealed class DashboardBrowser : IAsyncDisposable
{
    private static readonly string[] ChromiumFlags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly ITestOutputHelper _output;
    private readonly List<string> _secrets = [];

    private DashboardBrowser(IPlaywright playwright, IBrowser browser, Uri root, ITestOutputHelper output) =>
        (_playwright, _browser, Root, _output) = (playwright, browser, root, output);

    /// <summary>The dashboard's address through the gateway: http://127.0.0.1:port/ui/.</summary>
    public Uri Root { get; }

    public static string ArtifactsDirectory
    {
        get
        {
            var root = Vigil.AppHost.Resources.VigilLayout.From(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()).RepositoryRoot;
            var directory = Path.Combine(root, "tests", "IntegrationTests", "TestResults", "dashboard");
            Directory.CreateDirectory(directory);
            return directory;
        }
    }

    public static async Task<DashboardBrowser> StartAsync(VigilAppFixture fixture, ITestOutputHelper output)
    {
        using var ready = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync("dashboard", ready.Token);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.ExecutablePath,
            Headless = true,
            Args = ChromiumFlags,
        });
        return new DashboardBrowser(playwright, browser, new Uri(fixture.GetEndpoint("gateway"), "/ui/"), output);
    }

    /// <summary>A fresh browser context (its own cookies) with a page at desktop width, or phone width when asked.</summary>
    public async Task<IPage> NewPageAsync(bool phone = false)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 900 },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return page;
    }

    /// <summary>Signs in with <paramref name="key"/> on the sign-in page (the answer to its POST: 302 when accepted); the key is then looked for on every page.</summary>
    public async Task<IResponse?> SignInAsync(IPage page, string key, string? then = null)
    {
        _secrets.Add(key);
        await GotoAsync(page, then ?? "");
        await page.FillAsync("#key", key);
        var posted = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("form button[type=submit]"),
            r => r.Request.Method == "POST" && r.Url.Contains("/signin", StringComparison.Ordinal));
        // Wait for what the answer's page shows, never for a load-state event: twice in CI a page that had rendered never
        // reported its load event to Playwright (network idle did come), and WaitForURL with "commit" on an address that
        // already matches waits for that same load event. Locators are polled in the page itself and survive navigations.
        if (posted.Status == 302) await page.Locator("header.top nav").WaitForAsync();
        else await page.Locator("p.error").WaitForAsync();
        await AssertNoKeyAsync(page);
        return posted;
    }

    /// <summary>Opens a dashboard path (relative to /ui/) and checks the page for keys.</summary>
    public async Task<IResponse?> GotoAsync(IPage page, string path)
    {
        var response = await page.GotoAsync(new Uri(Root, path).ToString());
        await AssertNoKeyAsync(page);
        return response;
    }

    /// <summary>No key the test signed in with is in the page's HTML or its address.</summary>
    public async Task AssertNoKeyAsync(IPage page)
    {
        var html = await page.ContentAsync();
        foreach (var secret in _secrets)
        {
            Assert.DoesNotContain(secret, page.Url);
            Assert.DoesNotContain(secret, html);
        }
    }

    public async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(ArtifactsDirectory, $"{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        _output.WriteLine($"Screenshot {name}: {path}");
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
