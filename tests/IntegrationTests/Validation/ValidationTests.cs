using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Contracts;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Validation;

[Collection(VigilAppCollection.Name)]
public sealed class ValidationTests(VigilAppFixture fixture)
{
    [Fact]
    public async Task Each_rule_kind_catches_exactly_its_injected_defects()
    {
        var dataset = await RegisterAsync(DefectiveBatch.Definition());
        var runId = (await fixture.Api.SubmitCsvAsync(dataset, DefectiveBatch.Csv())).RunId;

        var run = await fixture.Api.WaitForRunAsync(runId);
        Assert.Equal("completed", run.Status);

        var results = (await fixture.Api.GetValidationReportAsync(runId)).RulesByName;
        foreach (var (rule, failing) in DefectiveBatch.ExpectedFailures)
        {
            Assert.False(results[rule].Passed, rule);
            Assert.Equal(failing, results[rule].FailingRows);
        }
        Assert.True(results["enough_rows"].Passed);
        Assert.False(results["too_many_rows_expected"].Passed);

        // Samples name the failing record by its key.
        var rangeSample = results["amount_range"].Samples[0].GetRawText();
        Assert.Contains("t-0020", rangeSample);
    }

    [Fact]
    public async Task Run_shows_the_dq_score_its_dimensions_and_report_links()
    {
        var dataset = await RegisterAsync(DefectiveBatch.Definition());
        var runId = (await fixture.Api.SubmitCsvAsync(dataset, DefectiveBatch.Csv())).RunId;

        var run = await fixture.Api.WaitForRunAsync(runId);

        var validation = run.Validation!;
        Assert.NotNull(validation.DqScore);
        Assert.InRange(validation.DqScore.Value, 50, 99.9); // defects cost points, but most rows are fine
        foreach (var dimension in new[] { "completeness", "uniqueness", "validity", "consistency", "timeliness" })
            Assert.InRange(validation.DqDimensions[dimension], 0, 100);
        Assert.Equal(10, validation.RulesFailed);
        Assert.Equal(11, validation.RulesChecked);
        Assert.True(run.Reports.ContainsKey(ReportKinds.Validation));
        Assert.True(run.Reports.ContainsKey(ReportKinds.Defects));
    }

    [Fact]
    public async Task Defects_csv_lists_every_failing_row_of_every_rule()
    {
        var dataset = await RegisterAsync(DefectiveBatch.Definition());
        var runId = (await fixture.Api.SubmitCsvAsync(dataset, DefectiveBatch.Csv())).RunId;
        await fixture.Api.WaitForRunAsync(runId);

        using var response = await fixture.Gateway.GetAsync($"/api/runs/{runId}/reports/defects");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var rowDefects = DefectiveBatch.ExpectedFailures.Values.Sum();
        Assert.Equal(rowDefects, lines.Skip(1).Count(line => !line.StartsWith("too_many_rows_expected", StringComparison.Ordinal)));
        Assert.Contains(lines, line => line.StartsWith("balance_consistent", StringComparison.Ordinal) && line.Contains("t-0055"));
    }

    [Fact]
    public async Task Breaking_drift_under_block_fails_the_run_with_the_drift_listed()
    {
        var dataset = await RegisterAsync(new { keyColumns = new[] { "id" }, driftPolicy = "block" });
        var first = (await fixture.Api.SubmitCsvAsync(dataset, "id,amount,currency\n1,10.5,EUR\n2,11.0,USD\n3,12.25,EUR\n")).RunId;
        Assert.Equal("completed", (await fixture.Api.WaitForRunAsync(first)).Status);

        // 'currency' disappears and 'amount' turns into text.
        var second = (await fixture.Api.SubmitCsvAsync(dataset, "id,amount\n4,ten\n5,eleven\n6,twelve\n", executionDate: "2026-11-21")).RunId;
        var run = await fixture.Api.WaitForRunAsync(second);

        Assert.Equal("failed", run.Status);
        var reason = run.Failure?.Reason;
        Assert.NotNull(reason);
        Assert.Contains("Breaking schema drift", reason);
        Assert.Contains("currency", reason);
        Assert.Contains("amount", reason);
        Assert.Equal("blocked", (await fixture.Api.GetValidationReportAsync(second)).Outcome);
    }

    [Fact]
    public async Task Breaking_drift_under_warn_is_reported_and_the_run_goes_on()
    {
        var dataset = await RegisterAsync(new { keyColumns = new[] { "id" }, driftPolicy = "warn" });
        await fixture.Api.WaitForRunAsync((await fixture.Api.SubmitCsvAsync(dataset, "id,amount\n1,10.5\n2,11.0\n")).RunId);

        var second = (await fixture.Api.SubmitCsvAsync(dataset, "id,total\n3,10.5\n4,11.0\n", executionDate: "2026-11-21")).RunId;
        var run = await fixture.Api.WaitForRunAsync(second);

        Assert.Equal("completed", run.Status);
        Assert.NotEmpty(run.Validation!.Drift);
    }

    [Fact]
    public async Task Yaml_rules_apply_and_a_rule_on_a_column_the_batch_lacks_fails_with_the_column_named()
    {
        var dataset = await RegisterAsync(new
        {
            keyColumns = new[] { "id" },
            rulesYaml = """
                - name: amount_positive
                  kind: range
                  column: amount
                  min: 0
                - name: needs_currency
                  kind: not_null
                  column: currency
                """,
        });
        var runId = (await fixture.Api.SubmitCsvAsync(dataset, "id,amount\n1,5\n2,-3\n3,7\n")).RunId;
        await fixture.Api.WaitForRunAsync(runId);

        var results = (await fixture.Api.GetValidationReportAsync(runId)).RulesByName;

        Assert.Equal(1, results["amount_positive"].FailingRows);
        Assert.False(results["needs_currency"].Passed);
        Assert.Contains("currency", results["needs_currency"].Message);
    }

    [Fact]
    public async Task Cleaning_writes_a_cleaned_copy_next_to_the_raw_batch()
    {
        var dataset = await RegisterAsync(new { keyColumns = new[] { "id" }, cleaning = true });
        // Row 2 repeats row 1 exactly; row 4 has no amount (imputed with the median of 10, 20, 30, 1000 -> 25).
        var runId = (await fixture.Api.SubmitCsvAsync(dataset, "id,amount\n1,10\n1,10\n2,20\n3,\n4,30\n5,1000\n")).RunId;
        var run = await fixture.Api.WaitForRunAsync(runId);

        var cleanedKey = run.Reports[ReportKinds.Cleaned];
        Assert.NotNull(run.ObjectKey);
        Assert.Equal(run.ObjectKey.Replace(".csv", ".cleaned.csv"), cleanedKey);
        using var response = await fixture.Gateway.GetAsync($"/api/runs/{runId}/reports/cleaned");
        var lines = (await response.Content.ReadAsStringAsync()).Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("id,amount,amount_outlier", lines[0]);
        Assert.Equal(6, lines.Length); // header + 5 rows: the exact duplicate is gone
        Assert.Contains("3,25,false", lines);
        Assert.Contains("5,1000,true", lines);
    }

    [Fact]
    public async Task Invalid_dataset_definitions_get_validation_problems()
    {
        using var response = await fixture.Gateway.PostAsJsonAsync("/api/datasets", new
        {
            name = "tests.invalid_rules",
            keyColumns = new[] { "id" },
            rules = new object[] { new { kind = "expression", expression = "amount >>= 3" }, new { kind = "no_such_kind", column = "x" } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("rules", out _));
    }

    [Fact]
    public async Task Re_registering_a_changed_definition_makes_a_new_version()
    {
        var dataset = await RegisterAsync(new { keyColumns = new[] { "id" } });
        await fixture.RegisterDatasetAsync(dataset, new { keyColumns = new[] { "id" } });
        await fixture.RegisterDatasetAsync(dataset, new { keyColumns = new[] { "id" }, driftPolicy = "block" });

        var current = await fixture.Gateway.GetFromJsonAsync<JsonElement>($"/api/datasets/{dataset}");

        Assert.Equal(2, current.GetProperty("version").GetInt32());
        Assert.Equal("block", current.GetProperty("definition").GetProperty("driftPolicy").GetString());
    }

    private async Task<string> RegisterAsync(object definition)
    {
        var name = $"tests.validation_{Guid.NewGuid():n}"[..32];
        await fixture.RegisterDatasetAsync(name, definition);
        return name;
    }
}
