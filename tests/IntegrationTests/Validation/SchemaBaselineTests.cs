using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Validation;

/// <summary>
/// Issue 15's story: under driftPolicy block, one batch with a stray column must not become the baseline and block every
/// normal batch after it; a user accepts a run's schema or resets to the expected one.
/// </summary>
[Collection(VigilAppCollection.Name)]
public sealed class SchemaBaselineTests(VigilAppFixture fixture)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_stray_column_under_block_is_reported_and_normal_batches_still_pass_until_the_user_accepts_or_resets()
    {
        var dataset = await RegisterAsync(new
        {
            keyColumns = new[] { "id" },
            driftPolicy = "block",
            expectedSchema = new
            {
                columns = new object[] { new { name = "id", type = "integer", nullable = false }, new { name = "amount", type = "decimal" } },
            },
        });

        var first = (await fixture.Api.CompleteCsvAsync(dataset, "id,amount\n1,10.5\n2,11.25\n", "2026-11-20", RunTimeout)).RunId;
        var stray = (await fixture.Api.CompleteCsvAsync(dataset, "id,amount,note\n3,12.5,x\n4,13.5,y\n", "2026-11-21", RunTimeout)).RunId;
        Assert.Contains((await fixture.Api.WaitForRunAsync(stray, RunTimeout)).Validation!.Drift, d => d.Contains("'note'") && d.Contains("new"));
        // The bug: this batch failed "column 'note' is missing" because the stray batch had become the accepted schema.
        await fixture.Api.CompleteCsvAsync(dataset, "id,amount\n5,9.5\n6,8.25\n", "2026-11-22", RunTimeout);

        var baseline = await GetJsonAsync($"/api/datasets/{dataset}/schema");
        Assert.Equal("batch", baseline.GetProperty("origin").GetString());
        Assert.Equal(first, baseline.GetProperty("runId").GetGuid());

        // Accepting the stray run's schema makes 'note' expected: a batch without it is now blocked, and says how to recover.
        var accepted = await PostAsync($"/api/datasets/{dataset}/schema/accept", new { runId = stray });
        Assert.Equal(HttpStatusCode.OK, accepted.Status);
        Assert.Equal("accepted", accepted.Body.GetProperty("origin").GetString());
        Assert.Contains(accepted.Body.GetProperty("schema").GetProperty("columns").EnumerateArray(), c => c.GetProperty("name").GetString() == "note");
        var blocked = await fixture.Api.WaitForRunAsync((await fixture.Api.SubmitCsvAsync(dataset, "id,amount\n7,1.5\n8,2.5\n", "2026-11-23")).RunId, RunTimeout);
        Assert.Equal("failed", blocked.Status);
        var reason = blocked.Failure!.Reason!;
        Assert.Contains("'note'", reason);
        Assert.Contains($"/api/datasets/{dataset}/schema/accept", reason);

        // Reset goes back to the registered expected schema: normal batches pass again.
        var reset = await PostAsync($"/api/datasets/{dataset}/schema/reset", null);
        Assert.Equal(HttpStatusCode.OK, reset.Status);
        Assert.Equal("reset", reset.Body.GetProperty("origin").GetString());
        Assert.Equal(["id", "amount"], reset.Body.GetProperty("schema").GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        await fixture.Api.CompleteCsvAsync(dataset, "id,amount\n9,3.5\n10,4.5\n", "2026-11-24", RunTimeout);
    }

    [Fact]
    public async Task Accept_and_reset_answer_problem_json_for_an_unknown_dataset_an_unknown_run_a_run_of_another_dataset_and_no_run()
    {
        var dataset = await RegisterAsync(new { keyColumns = new[] { "id" }, driftPolicy = "block" });
        var other = await RegisterAsync(new { keyColumns = new[] { "id" } });
        var otherRun = (await fixture.Api.CompleteCsvAsync(other, "id,amount\n1,2\n", "2026-11-20", RunTimeout)).RunId;

        await AssertProblemAsync($"/api/datasets/{dataset}/schema/accept", new { runId = Guid.NewGuid() }, HttpStatusCode.NotFound, "Unknown run");
        await AssertProblemAsync($"/api/datasets/{dataset}/schema/accept", new { runId = otherRun }, HttpStatusCode.Conflict, other);
        await AssertProblemAsync("/api/datasets/tests.no_such_dataset/schema/accept", new { runId = otherRun }, HttpStatusCode.NotFound, "not registered");
        await AssertProblemAsync("/api/datasets/tests.no_such_dataset/schema/reset", null, HttpStatusCode.NotFound, "not registered");
        var missing = await AssertProblemAsync($"/api/datasets/{dataset}/schema/accept", new { }, HttpStatusCode.BadRequest, "run");
        Assert.True(missing.GetProperty("errors").TryGetProperty("runId", out _));
        var malformed = await AssertProblemAsync($"/api/datasets/{dataset}/schema/accept", new { runId = "not-a-run-id" }, HttpStatusCode.BadRequest, "runId");
        Assert.True(malformed.GetProperty("errors").TryGetProperty("runId", out _));
        // No batch yet and no expected schema: there is no baseline to show.
        using var none = await fixture.Gateway.GetAsync($"/api/datasets/{dataset}/schema");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    private async Task<JsonElement> AssertProblemAsync(string path, object? body, HttpStatusCode status, string mention)
    {
        var (actual, problem) = await PostAsync(path, body);
        Assert.True(actual == status, $"{path}: {(int)actual} {problem}");
        Assert.Contains(mention, problem.ToString());
        Assert.DoesNotContain("Exception", problem.ToString());
        return problem;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, object? body)
    {
        using var response = body is null ? await fixture.Gateway.PostAsync(path, null) : await fixture.Gateway.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<JsonElement> GetJsonAsync(string path) => await fixture.Gateway.GetFromJsonAsync<JsonElement>(path);

    private async Task<string> RegisterAsync(object definition)
    {
        var name = $"tests.baseline_{Guid.NewGuid():n}"[..30];
        await fixture.RegisterDatasetAsync(name, definition);
        return name;
    }
}
