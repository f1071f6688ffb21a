using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Vigil.IntegrationTests.Infrastructure;
using Vigil.IntegrationTests.Scoring;
using Vigil.IntegrationTests.Telemetry;
using Xunit.Abstractions;

namespace Vigil.IntegrationTests.Dashboard;

/// <summary>
/// The dashboard's admin actions besides promote: recovering a dataset blocked by schema drift (accept a run's schema,
/// reset) from the run and dataset pages, and replaying dead-lettered queues from the alerts page; each refused, with a
/// message that says why, for a read-only key.
/// </summary>
[Collection(VigilAppCollection.Name)]
public sealed class DashboardActionTests(VigilAppFixture fixture, ITestOutputHelper output)
{
    private const string AdminNeeded = "needs an API key with the 'admin' scope";

    [ChromiumFact]
    public async Task A_run_blocked_by_schema_drift_is_recovered_from_the_run_page_with_an_admin_key_and_refused_with_a_read_key()
    {
        var dataset = DashboardData.NewDataset("drift");
        await fixture.RegisterDatasetAsync(dataset, new { keyColumns = new[] { "id" }, driftPolicy = "block" });
        var first = await RunAsync(dataset, "id,amount,note\n1,10.5,a\n2,11.25,b\n", "2026-11-20");
        Assert.Equal("completed", first.Run.Status);
        // The source drops a column: under block the run fails at validation.
        var blocked = await RunAsync(dataset, "id,amount\n3,12.5\n4,13.5\n", "2026-11-21");
        Assert.Equal("failed", blocked.Run.Status);
        Assert.Contains("'note'", blocked.Run.Failure!.Reason);
        var (_, readKey) = await fixture.CreateApiKeyAsync($"ui reader {dataset}", ["read"]);
        var (_, adminKey) = await fixture.CreateApiKeyAsync($"ui admin {dataset}", ["read", "admin"]);
        await using var browser = await DashboardBrowser.StartAsync(fixture, output);

        // A read key: the button is there, the API refuses, the page says an admin key is needed, the baseline stays.
        var reader = await browser.NewPageAsync();
        await browser.SignInAsync(reader, readKey, $"runs/{blocked.Id}");
        await reader.ClickAsync("#accept-schema button.accept-schema");
        await Assertions.Expect(reader.Locator("#refusal")).ToContainTextAsync(AdminNeeded);
        var unchanged = await BaselineAsync(dataset);
        Assert.Equal("batch", unchanged.GetProperty("origin").GetString());
        Assert.Equal(first.Id, unchanged.GetProperty("runId").GetGuid());
        await browser.ScreenshotAsync(reader, "run-accept-refused");

        // An admin key: accepted from the run page; the outcome names the new baseline version.
        var admin = await browser.NewPageAsync();
        await browser.SignInAsync(admin, adminKey, $"runs/{blocked.Id}");
        await browser.ScreenshotAsync(admin, "run-blocked-by-drift");
        await admin.ClickAsync("#accept-schema button.accept-schema");
        var accepted = await BaselineAsync(dataset);
        Assert.Equal("accepted", accepted.GetProperty("origin").GetString());
        Assert.Equal(blocked.Id, accepted.GetProperty("runId").GetGuid());
        await Assertions.Expect(admin.Locator("#outcome")).ToContainTextAsync(
            $"The schema baseline of {dataset} is now version {accepted.GetProperty("version").GetInt32()} (accepted)");
        await browser.AssertNoKeyAsync(admin);
        await browser.ScreenshotAsync(admin, "run-schema-accepted");

        // A batch of the new shape now passes.
        var after = await RunAsync(dataset, "id,amount\n5,9.5\n6,8.25\n", "2026-11-22");
        Assert.Equal("completed", after.Run.Status);

        // The dataset page: reset, then accept the blocked run's schema again from the list of runs.
        await browser.GotoAsync(admin, $"datasets/{dataset}");
        await Assertions.Expect(admin.Locator("table tbody tr", new() { HasText = "failed" })).ToContainTextAsync("blocked: breaking schema drift");
        await admin.ClickAsync("#reset-schema button.reset-schema");
        await Assertions.Expect(admin.Locator("#outcome")).ToContainTextAsync("(reset)");
        await admin.SelectOptionAsync("#accept-schema select", blocked.Id.ToString());
        await admin.ClickAsync("#accept-schema button.accept-schema");
        await Assertions.Expect(admin.Locator("#outcome")).ToContainTextAsync("(accepted)");
        var again = await BaselineAsync(dataset);
        Assert.Equal("accepted", again.GetProperty("origin").GetString());
        Assert.Equal(blocked.Id, again.GetProperty("runId").GetGuid());
        Assert.True(again.GetProperty("version").GetInt32() > accepted.GetProperty("version").GetInt32(), again.ToString());
        await browser.ScreenshotAsync(admin, "dataset-schema-actions");
    }

    [ChromiumFact]
    public async Task The_alerts_page_lists_dead_letter_queues_and_replays_only_with_an_admin_key()
    {
        var queues = (await fixture.Gateway.GetFromJsonAsync<JsonElement>("/api/system/dead-letters")).EnumerateArray().ToList();
        Assert.NotEmpty(queues);
        var queue = queues[0].GetProperty("queue").GetString()!;
        var (_, readKey) = await fixture.CreateApiKeyAsync($"ui dead letters reader {Guid.NewGuid():n}", ["read"]);
        var (_, adminKey) = await fixture.CreateApiKeyAsync($"ui dead letters admin {Guid.NewGuid():n}", ["read", "admin"]);
        await using var browser = await DashboardBrowser.StartAsync(fixture, output);

        var reader = await browser.NewPageAsync();
        await browser.SignInAsync(reader, readKey, "alerts");
        foreach (var q in queues)
        {
            var row = reader.Locator($"#dead-letter-queues tr[data-queue='{q.GetProperty("queue").GetString()}']");
            await Assertions.Expect(row.Locator("td.messages")).ToHaveTextAsync(q.GetProperty("messages").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Assertions.Expect(row.Locator("button.replay")).ToBeVisibleAsync();
        }
        if (queues.All(q => q.GetProperty("messages").GetInt64() == 0))
            await Assertions.Expect(reader.Locator("#no-dead-letters")).ToContainTextAsync("No dead letters");
        await reader.ClickAsync($"#dead-letter-queues tr[data-queue='{queue}'] button.replay");
        await Assertions.Expect(reader.Locator("#refusal")).ToContainTextAsync(AdminNeeded);
        await browser.ScreenshotAsync(reader, "alerts-replay-refused");

        var admin = await browser.NewPageAsync();
        await browser.SignInAsync(admin, adminKey, "alerts");
        await admin.ClickAsync($"#dead-letter-queues tr[data-queue='{queue}'] button.replay");
        await Assertions.Expect(admin.Locator("#outcome")).ToContainTextAsync($"{queue}_error");
        await Assertions.Expect(admin.Locator("#refusal")).ToHaveCountAsync(0);
        await browser.ScreenshotAsync(admin, "alerts-dead-letters");
    }

    private async Task<(Guid Id, Run Run)> RunAsync(string dataset, string csv, string executionDate)
    {
        var id = (await fixture.Api.SubmitCsvAsync(dataset, csv, executionDate)).RunId;
        return (id, await fixture.Api.WaitForRunAsync(id, TimeSpan.FromMinutes(3)));
    }

    private async Task<JsonElement> BaselineAsync(string dataset)
    {
        using var response = await fixture.Gateway.GetAsync($"/api/datasets/{dataset}/schema");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
