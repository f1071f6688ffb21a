using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Vigil.IntegrationTests.Events;
using Vigil.IntegrationTests.Infrastructure;
using Vigil.IntegrationTests.Scoring;
using Vigil.IntegrationTests.Telemetry;
using Xunit.Abstractions;

namespace Vigil.IntegrationTests.Dashboard;

/// <summary>The web dashboard at /ui, driven in headless Chromium against the whole running system.</summary>
[Collection(VigilAppCollection.Name)]
public sealed class DashboardPageTests(VigilAppFixture fixture, ITestOutputHelper output)
{
    [ChromiumFact]
    public async Task A_batch_with_defects_and_anomalies_shows_on_the_overview_and_its_run_page_with_exact_counts()
    {
        var dataset = DashboardData.NewDataset("run");
        await DashboardData.RegisterAsync(fixture, dataset);
        var (runId, run, csv) = await DashboardData.SubmitAsync(fixture, dataset);
        var expected = DashboardData.ExpectedFailures(csv);
        var blocked = DashboardData.Decisions(run, "block");
        Assert.All(expected.Values, count => Assert.True(count > 0));
        Assert.True(blocked > 0, $"the injected anomalies were not blocked: {string.Join(", ", run.DecisionCounts!)}");
        var (_, readKey) = await fixture.CreateApiKeyAsync($"ui reader {dataset}", ["read"]);

        await using var browser = await DashboardBrowser.StartAsync(fixture, output);
        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page, readKey);
        Assert.EndsWith("/ui/", page.Url);

        // The overview lists the dataset with its last run.
        var row = page.Locator($"tr[data-dataset='{dataset}']");
        await Assertions.Expect(row).ToBeVisibleAsync();
        Assert.Contains("passed", await row.InnerTextAsync());
        await Assertions.Expect(row.Locator($"a[href$='/runs/{runId}']")).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "overview");

        // The run page: each rule's failing count exactly as injected, and the blocked anomalies.
        await browser.GotoAsync(page, $"runs/{runId}");
        foreach (var (rule, failing) in expected)
            Assert.Equal(failing.ToString("N0", CultureInfo.InvariantCulture), (await page.Locator($"tr[data-rule='{rule}'] td.failing-rows").InnerTextAsync()).Trim());
        Assert.Equal(blocked.ToString("N0", CultureInfo.InvariantCulture), (await page.Locator("#blocked-count").InnerTextAsync()).Trim());
        await browser.ScreenshotAsync(page, "run");

        await browser.GotoAsync(page, $"runs/{runId}?decision=block");
        var decisions = await page.Locator("#anomalies tbody tr td:nth-child(4)").AllInnerTextsAsync();
        Assert.Equal((int)Math.Min(blocked, 50), decisions.Count);
        Assert.All(decisions, d => Assert.Equal("block", d.Trim()));
        var keys = string.Join("\n", await page.Locator("#anomalies tbody tr td:nth-child(2)").AllInnerTextsAsync());
        Assert.Contains(PaymentBatches.Extreme, i => keys.Contains(PaymentBatches.Id(i)));

        // A report download goes through the dashboard with the cookie: no key in the link.
        var download = await page.APIRequest.GetAsync(new Uri(browser.Root, $"runs/{runId}/reports/validation").ToString());
        Assert.Equal(200, download.Status);
        Assert.Contains(DashboardData.AmountRule, await download.TextAsync());

        // The other pages render for this dataset.
        await browser.GotoAsync(page, $"datasets/{dataset}");
        await Assertions.Expect(page.Locator("svg.chart").First).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "dataset");
        await browser.GotoAsync(page, "alerts");
        await browser.ScreenshotAsync(page, "alerts");

        // Phone width: the run page still lays out (tables scroll inside their own box).
        var phone = await browser.NewPageAsync(phone: true);
        await browser.SignInAsync(phone, readKey, $"runs/{runId}");
        Assert.Equal(blocked.ToString("N0", CultureInfo.InvariantCulture), (await phone.Locator("#blocked-count").InnerTextAsync()).Trim());
        await browser.ScreenshotAsync(phone, "run-phone");
        var wide = await phone.EvaluateAsync<string>(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-wrap'))"
            + ".slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join('; ')");
        Assert.True(wide.Length == 0, $"the run page is wider than a phone screen: {wide}");

        // The sign-in cookie: HttpOnly, SameSite=Strict, and not the key in clear.
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "vigil-dashboard");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.DoesNotContain(readKey, cookie.Value);
    }

    [ChromiumFact]
    public async Task The_live_page_count_rises_while_events_stream_without_reloading()
    {
        var events = new EventsClient(fixture);
        var dataset = EventsClient.NewDataset();
        await events.RegisterAsync(dataset);
        // Ordinary history for ten accounts; each outlier below goes to an account that has had none yet, so its
        // history stays ordinary and the outlier is judged against it.
        var accounts = Enumerable.Range(1, 10).Select(i => $"a-{i}").ToList();
        using (var history = await events.PostNdjsonAsync(dataset, accounts.SelectMany(a => EventsClient.Normal(a, 30, $"h-{a}"))))
            Assert.Equal(HttpStatusCode.Accepted, history.StatusCode);
        await events.WaitForScoredAsync(dataset, 30 * accounts.Count);
        var (_, readKey) = await fixture.CreateApiKeyAsync($"ui live {dataset}", ["read"]);

        await using var browser = await DashboardBrowser.StartAsync(fixture, output);
        var page = await browser.NewPageAsync();
        await browser.SignInAsync(page, readKey, $"live?dataset={dataset}");
        var before = long.Parse(await page.Locator("#live-anomalies").InnerTextAsync(), CultureInfo.InvariantCulture);
        var navigations = 0;
        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations++; };

        var sent = 0;
        var clock = Stopwatch.StartNew();
        long shown = before;
        while (clock.Elapsed < TimeSpan.FromSeconds(90) && shown < before + 3)
        {
            if (sent < accounts.Count)
            {
                using var outlier = await events.PostNdjsonAsync(dataset, [EventsClient.Event($"x-{sent}", accounts[sent], 5000), EventsClient.Event($"n-{sent}", accounts[sent], 100)]);
                Assert.Equal(HttpStatusCode.Accepted, outlier.StatusCode);
                sent++;
            }
            await Task.Delay(1500);
            shown = long.Parse(await page.Locator("#live-anomalies").InnerTextAsync(), CultureInfo.InvariantCulture);
        }
        output.WriteLine($"live anomalies shown: {before} -> {shown} after {sent} outliers, {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(shown >= before + 3, $"the live count stayed at {shown} (from {before}) after {sent} outliers");
        Assert.Equal(0, navigations);
        await Assertions.Expect(page.Locator("#recent-anomalies tbody tr").First).ToContainTextAsync("block");
        await browser.AssertNoKeyAsync(page);
        await browser.ScreenshotAsync(page, "live");
    }

    [ChromiumFact]
    public async Task Promote_works_with_an_admin_key_and_is_refused_clearly_with_a_read_key()
    {
        var dataset = DashboardData.NewDataset("model");
        await DashboardData.RegisterAsync(fixture, dataset);
        var (runId, _, _) = await DashboardData.SubmitAsync(fixture, dataset, seed: 11);
        var trained = await new ScoringClient(fixture).TrainAsync(dataset, new { runId });
        var version = trained.GetProperty("version").GetInt32();
        Assert.NotEqual("active", trained.GetProperty("status").GetString());
        var (_, readKey) = await fixture.CreateApiKeyAsync($"ui reader {dataset}", ["read"]);
        var (_, adminKey) = await fixture.CreateApiKeyAsync($"ui admin {dataset}", ["read", "admin"]);

        await using var browser = await DashboardBrowser.StartAsync(fixture, output);
        var reader = await browser.NewPageAsync();
        await browser.SignInAsync(reader, readKey, $"models?dataset={dataset}");
        await reader.ClickAsync($"article[data-version='{version}'] button.promote");
        await Assertions.Expect(reader.Locator("#refusal")).ToContainTextAsync("needs an API key with the 'admin' scope");
        Assert.Equal("testing", await ModelStatusAsync(dataset, version));
        await browser.ScreenshotAsync(reader, "models-refused");

        var admin = await browser.NewPageAsync();
        await browser.SignInAsync(admin, adminKey, $"models?dataset={dataset}");
        await admin.ClickAsync($"article[data-version='{version}'] button.promote");
        await Assertions.Expect(admin.Locator("p.ok")).ToContainTextAsync($"Model version {version} of {dataset} is now active");
        await Assertions.Expect(admin.Locator($"article[data-version='{version}'] .verdict")).ToHaveTextAsync("active");
        Assert.Equal("active", await ModelStatusAsync(dataset, version));
        await browser.AssertNoKeyAsync(admin);
        await browser.ScreenshotAsync(admin, "models");
    }

    [ChromiumFact]
    public async Task A_bad_key_gets_a_clear_sign_in_error_and_no_cookie()
    {
        await using var browser = await DashboardBrowser.StartAsync(fixture, output);
        var page = await browser.NewPageAsync();

        var response = await browser.SignInAsync(page, "vk_not-a-real-key-0000000000000000");

        Assert.Equal(401, response?.Status);
        await Assertions.Expect(page.Locator("p.error")).ToContainTextAsync("That API key was not accepted");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "vigil-dashboard");
        await browser.AssertNoKeyAsync(page);
        await browser.ScreenshotAsync(page, "signin-error");
    }

    [Fact]
    public async Task Without_the_cookie_every_page_redirects_to_sign_in()
    {
        using var ready = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync("dashboard", ready.Token);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.GetEndpoint("gateway") };
        var run = Guid.NewGuid();
        foreach (var path in new[] { "/ui/", "/ui/live", "/ui/models", "/ui/alerts", "/ui/datasets/x", $"/ui/runs/{run}", $"/ui/runs/{run}/reports/validation", "/ui/live?handler=Panel&dataset=x" })
        {
            using var response = await http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{path}: {(int)response.StatusCode}");
            Assert.StartsWith("/ui/signin?returnUrl=", response.Headers.Location?.OriginalString);
        }
        using var signIn = await http.GetAsync("/ui/signin");
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    [Fact]
    public async Task A_state_changing_post_without_the_antiforgery_token_is_refused()
    {
        var dataset = DashboardData.NewDataset("csrf");
        await DashboardData.RegisterAsync(fixture, dataset);
        var (_, adminKey) = await fixture.CreateApiKeyAsync($"ui csrf {dataset}", ["read", "admin"]);
        using var ready = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync("dashboard", ready.Token);
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = fixture.GetEndpoint("gateway") };

        // Signed in properly (token and antiforgery cookie from the sign-in page).
        var form = await http.GetStringAsync("/ui/signin");
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);
        using (var signedIn = await http.PostAsync("/ui/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = adminKey, ["__RequestVerificationToken"] = token })))
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        using (var overview = await http.GetAsync("/ui/"))
            Assert.Equal(HttpStatusCode.OK, overview.StatusCode);

        // The same signed-in client, posting without the token to every admin action: refused before the API is called.
        foreach (var (path, fields) in new (string, Dictionary<string, string>)[]
        {
            ($"/ui/models?handler=RollBack&dataset={dataset}", []),
            ($"/ui/datasets/{dataset}?handler=ResetSchema", []),
            ($"/ui/datasets/{dataset}?handler=AcceptSchema", new() { ["runId"] = Guid.NewGuid().ToString() }),
            ($"/ui/runs/{Guid.NewGuid()}?handler=AcceptSchema", []),
            ("/ui/alerts?handler=Replay", new() { ["queue"] = "scoring-batches" }),
        })
        {
            using var refused = await http.PostAsync(path, new FormUrlEncodedContent(fields));
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{path}: {(int)refused.StatusCode}");
        }
        using var signOut = await http.PostAsync("/ui/signout", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        using (var still = await http.GetAsync("/ui/"))
            Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    private async Task<string?> ModelStatusAsync(string dataset, int version) =>
        (await fixture.Gateway.GetFromJsonAsync<JsonElement>($"/api/datasets/{dataset}/models")).EnumerateArray()
            .Single(m => m.GetProperty("version").GetInt32() == version).GetProperty("status").GetString();
}
