using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Validation;

/// <summary>Errors that name the problem, through the gateway: the field, the line and column, never a .NET type or a stack trace.</summary>
[Collection(VigilAppCollection.Name)]
public sealed class BadInputProblemTests(VigilAppFixture fixture)
{
    private async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("Exception", text);
        Assert.DoesNotContain("System.", text);
        Assert.DoesNotContain("   at ", text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string Error(JsonElement problem, string field) => problem.GetProperty("errors").GetProperty(field)[0].GetString()!;

    private Task<HttpResponseMessage> PostJsonTextAsync(string path, string json) =>
        fixture.Gateway.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Malformed_rules_yaml_is_400_naming_line_and_column()
    {
        using var response = await fixture.Gateway.PostAsJsonAsync("/api/datasets", new
        {
            name = "tests.bad_yaml",
            keyColumns = new[] { "id" },
            rulesYaml = "- name: positive\n  kind: range\n  column: [amount\n",
        });

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Matches(@"line \d+, column \d+", Error(problem, "rulesYaml"));
    }

    [Fact]
    public async Task A_self_referencing_yaml_alias_is_400_not_a_crash()
    {
        using var response = await fixture.Gateway.PostAsJsonAsync("/api/datasets", new { name = "tests.bad_yaml_alias", keyColumns = new[] { "id" }, rulesYaml = "- &a [*a]\n" });

        Assert.Contains("rulesYaml", (await ProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task Registration_without_a_name_or_with_a_null_name_names_the_field()
    {
        using var missing = await PostJsonTextAsync("/api/datasets", """{ "keyColumns": ["id"] }""");
        Assert.Contains("'name' is required", Error(await ProblemAsync(missing, HttpStatusCode.BadRequest), "name"));

        using var nulled = await PostJsonTextAsync("/api/datasets", """{ "name": null, "keyColumns": null }""");
        var problem = await ProblemAsync(nulled, HttpStatusCode.BadRequest);
        Assert.Contains("required", Error(problem, "name"));
        Assert.True(problem.GetProperty("errors").TryGetProperty("keyColumns", out _));
    }

    [Fact]
    public async Task Malformed_json_and_wrong_types_name_the_position_and_the_field()
    {
        using var malformed = await PostJsonTextAsync("/api/datasets", "{\n  \"name\": \"tests.x\",\n  \"keyColumns\": [\"id\"\n}");
        var syntax = await ProblemAsync(malformed, HttpStatusCode.BadRequest);
        Assert.Equal(4, syntax.GetProperty("line").GetInt32());
        Assert.Contains("not valid JSON", syntax.GetProperty("detail").GetString());

        using var wrongType = await PostJsonTextAsync("/api/datasets", """{ "name": "tests.x", "keyColumns": "id" }""");
        Assert.Contains("expected an array", Error(await ProblemAsync(wrongType, HttpStatusCode.BadRequest), "keyColumns"));

        using var policy = await PostJsonTextAsync("/api/datasets", """{ "name": "tests.x", "keyColumns": ["id"], "driftPolicy": "sometimes" }""");
        Assert.Contains("one of: warn, block, evolve", Error(await ProblemAsync(policy, HttpStatusCode.BadRequest), "driftPolicy"));
    }

    [Fact]
    public async Task Binding_errors_name_the_field_in_ingest_scoring_alerting_and_lineage()
    {
        await fixture.RegisterDatasetAsync("tests.binding_errors", new { keyColumns = new[] { "id" } });

        using var ingest = await fixture.Gateway.PostAsync("/api/datasets/tests.binding_errors/batches?executionDate=20-11-2026",
            new StringContent("id\n1\n", Encoding.UTF8, "text/csv"));
        Assert.Contains("expected a date", Error(await ProblemAsync(ingest, HttpStatusCode.BadRequest), "executionDate"));

        using var scoring = await PostJsonTextAsync("/api/datasets/tests.binding_errors/models", """{ "runId": "yesterday's" }""");
        Assert.Contains("UUID", Error(await ProblemAsync(scoring, HttpStatusCode.BadRequest), "runId"));

        using var alerting = await PostJsonTextAsync("/api/alerts/policies", "{ \"dataset\": ");
        Assert.True((await ProblemAsync(alerting, HttpStatusCode.BadRequest)).TryGetProperty("line", out _));

        using var lineage = await fixture.Gateway.GetAsync("/api/runs?limit=lots");
        Assert.Contains("expected an integer", Error(await ProblemAsync(lineage, HttpStatusCode.BadRequest), "limit"));
    }

    [Fact]
    public async Task A_dataset_of_only_key_columns_completes_unscored_with_the_reason()
    {
        var dataset = $"tests.keys_only_{Guid.NewGuid():n}"[..28];
        await fixture.RegisterDatasetAsync(dataset, new { keyColumns = new[] { "id" } });
        var accepted = await fixture.Api.SubmitCsvAsync(dataset, "id\n1\n2\n3\n");

        var run = await fixture.Api.WaitForRunAsync(accepted.RunId, TimeSpan.FromMinutes(3));

        Assert.True(run.Status == "completed", $"{run}");
        Assert.StartsWith("not scored: the batch has no column besides its key column ('id')", run.Device);
    }
}
