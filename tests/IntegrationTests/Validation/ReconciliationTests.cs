using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Validation;

[Collection(VigilAppCollection.Name)]
public sealed class ReconciliationTests(VigilAppFixture fixture)
{
    private const int SourceRows = 100;
    private static readonly int[] DroppedFromTarget = [7, 33, 71];
    private static readonly int[] ChangedAmount = [12, 40, 41, 88];
    private static readonly int[] ChangedWithinTolerance = [60];
    private static readonly int[] NullStatusInTarget = [5, 95];
    private static readonly int[] DuplicatedInTarget = [20, 21];
    private static readonly string[] ExtraInTarget = ["s-9001", "s-9002"];

    [Fact]
    public async Task Reconciliation_finds_exactly_the_injected_missing_extra_duplicate_and_changed_records()
    {
        var dataset = await RegisterAsync();
        var runId = (await fixture.Api.SubmitReconciliationAsync(dataset, Source(), Target())).RunId;

        var run = await fixture.Api.WaitForRunAsync(runId);

        Assert.Equal("completed", run.Status);
        var summary = run.Validation!.Reconciliation!;
        Assert.Equal(SourceRows, summary.SourceRows);
        Assert.Equal(DroppedFromTarget.Length, summary.MissingInTarget);
        Assert.Equal(ExtraInTarget.Length, summary.UnexpectedInTarget);
        Assert.Equal(0, summary.DuplicateKeysInSource);
        Assert.Equal(DuplicatedInTarget.Length, summary.DuplicateKeysInTarget);
        Assert.Equal(ChangedAmount.Length + NullStatusInTarget.Length, summary.ChangedRecords);
        Assert.Equal(NullStatusInTarget.Length, summary.NullsIntroduced);
    }

    [Fact]
    public async Task Reconciliation_csv_lists_every_defect_with_its_kind()
    {
        var dataset = await RegisterAsync();
        var runId = (await fixture.Api.SubmitReconciliationAsync(dataset, Source(), Target())).RunId;
        await fixture.Api.WaitForRunAsync(runId);

        using var response = await fixture.Gateway.GetAsync($"/api/runs/{runId}/reports/reconciliation");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();

        var byKind = rows.GroupBy(r => r.Split(',')[0]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(DroppedFromTarget.Length, byKind.GetValueOrDefault("missing_in_target"));
        Assert.Equal(ExtraInTarget.Length, byKind.GetValueOrDefault("unexpected_in_target"));
        Assert.Equal(DuplicatedInTarget.Length, byKind.GetValueOrDefault("duplicate_key_in_target"));
        Assert.Equal(ChangedAmount.Length, byKind.GetValueOrDefault("changed_value"));
        Assert.Equal(NullStatusInTarget.Length, byKind.GetValueOrDefault("null_introduced"));
        Assert.Contains(rows, r => r.StartsWith("missing_in_target", StringComparison.Ordinal) && r.Contains("s-0033"));
    }

    [Fact]
    public async Task A_key_column_missing_from_one_side_fails_the_run_naming_it()
    {
        var dataset = await RegisterAsync();
        var runId = (await fixture.Api.SubmitReconciliationAsync(dataset, Source(), "other_id,amount,status\nx-1,10,open\n")).RunId;

        var run = await fixture.Api.WaitForRunAsync(runId);

        Assert.Equal("failed", run.Status);
        Assert.Contains("source_id", run.Failure!.Reason);
    }

    [Fact]
    public async Task A_reconciliation_without_a_target_part_gets_problem_json()
    {
        var dataset = await RegisterAsync();
        using var form = new MultipartFormDataContent { { VigilClient.CsvPart(Source()), "source", "source.csv" } };

        using var response = await fixture.Gateway.PostAsync($"/api/datasets/{dataset}/reconciliations", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("target", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        // A refused submission leaves none of its bytes in the object store.
        var stored = await fixture.ObjectStore.ListObjectsV2Async(new() { BucketName = fixture.Bucket, Prefix = $"raw/{dataset}/" });
        Assert.Empty(stored.S3Objects ?? []);
    }

    private static string Source()
    {
        var text = new StringBuilder("source_id,amount,status\n");
        for (var i = 0; i < SourceRows; i++) text.Append(Row(i, Amount(i), "open"));
        return text.ToString();
    }

    private static string Target()
    {
        var text = new StringBuilder("source_id,amount,status\n");
        for (var i = 0; i < SourceRows; i++)
        {
            if (DroppedFromTarget.Contains(i)) continue;
            var amount = ChangedAmount.Contains(i) ? Amount(i) + 5 : ChangedWithinTolerance.Contains(i) ? Amount(i) + 0.0001 : Amount(i);
            var status = NullStatusInTarget.Contains(i) ? "" : "open";
            text.Append(Row(i, amount, status));
            if (DuplicatedInTarget.Contains(i)) text.Append(Row(i, amount, status));
        }
        foreach (var extra in ExtraInTarget) text.Append($"{extra},1.00,open\n");
        return text.ToString();
    }

    private static double Amount(int i) => 100 + i * 1.25;

    private static string Row(int i, double amount, string status) =>
        $"s-{i:D4},{amount.ToString("0.####", CultureInfo.InvariantCulture)},{status}\n";

    private async Task<string> RegisterAsync()
    {
        var name = $"tests.recon_{Guid.NewGuid():n}"[..28];
        await fixture.RegisterDatasetAsync(name, new { keyColumns = new[] { "source_id" }, reconciliationTolerance = 0.001 });
        return name;
    }
}
