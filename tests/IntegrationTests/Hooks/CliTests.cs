using System.Text.Json;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Hooks;

/// <summary>The real <c>vigil</c> tool (built beside the tests) against the running system, through the gateway.</summary>
[Collection(VigilAppCollection.Name)]
public sealed class CliTests(VigilAppFixture fixture)
{
    private static readonly string Tool = Path.Combine(AppContext.BaseDirectory, "vigil.dll");

    private async Task<ToolRun> VigilAsync(params string[] arguments) => await ToolRun.RunAsync("dotnet", [Tool, .. arguments], new Dictionary<string, string>
    {
        ["VIGIL_URL"] = fixture.GetEndpoint("gateway").ToString(),
        ["VIGIL_API_KEY"] = await HookKeys.PipelineKeyAsync(fixture),
    });

    private async Task<string> DatasetAsync()
    {
        var dataset = $"tests.cli_{Guid.NewGuid():n}"[..24];
        await fixture.RegisterDatasetAsync(dataset, new { keyColumns = new[] { HookBatches.KeyColumn } });
        return dataset;
    }

    [Fact]
    public async Task Check_exits_0_on_a_clean_batch_with_the_verdict_as_json_on_stdout()
    {
        var dataset = await DatasetAsync();
        using var load = HookBatches.Write(HookBatches.Csv(200, withOutliers: false));

        var run = await VigilAsync("check", "--dataset", dataset, "--file", load.Path, "--wait", "--fail-on", "block,failed", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var verdict = JsonDocument.Parse(run.StandardOutput).RootElement;
        Assert.True(verdict.GetProperty("passed").GetBoolean());
        Assert.Equal("completed", verdict.GetProperty("status").GetString());
        Assert.Equal(200, verdict.GetProperty("rowCount").GetInt64());
        Assert.Contains("accepted: run", run.StandardError);
        var runId = verdict.GetProperty("runId").GetGuid();
        Assert.Equal("completed", (await fixture.Api.WaitForRunAsync(runId)).Status);
    }

    [Fact]
    public async Task Check_exits_1_on_a_batch_with_blocked_records_and_says_how_many()
    {
        var dataset = await DatasetAsync();
        using var load = HookBatches.Write(HookBatches.Csv(1000, withOutliers: true));

        var run = await VigilAsync("check", "--dataset", dataset, "--file", load.Path, "--wait", "--fail-on", "block,failed");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith("BLOCKED", run.StandardOutput);
        Assert.Matches(@"\d+ record\(s\) scored block", run.StandardOutput);
    }

    [Fact]
    public async Task Check_exits_3_when_the_run_fails_and_4_for_an_unknown_dataset()
    {
        var dataset = await DatasetAsync();
        using var ragged = HookBatches.Write("order_id,amount\no-1,10\no-2,20,extra,fields\n");

        var failed = await VigilAsync("check", "--dataset", dataset, "--file", ragged.Path, "--wait");
        var unknown = await VigilAsync("check", "--dataset", "tests.no_such_dataset", "--file", ragged.Path, "--wait");

        Assert.True(failed.ExitCode == 3, failed.ToString());
        Assert.StartsWith("FAILED", failed.StandardOutput);
        Assert.True(unknown.ExitCode == 4, unknown.ToString());
        Assert.Contains("Unknown dataset", unknown.StandardError);
    }

    [Fact]
    public async Task Runs_and_report_show_what_check_produced()
    {
        var dataset = await DatasetAsync();
        using var load = HookBatches.Write(HookBatches.Csv(100, withOutliers: false));
        var check = await VigilAsync("check", "--dataset", dataset, "--file", load.Path, "--wait", "--fail-on", "failed", "--json");
        var runId = JsonDocument.Parse(check.StandardOutput).RootElement.GetProperty("runId").GetGuid();

        var runs = await VigilAsync("runs", "--dataset", dataset, "--json");
        var reports = await VigilAsync("report", runId.ToString());
        var validation = await VigilAsync("report", runId.ToString(), "--kind", "validation");

        Assert.True(runs.ExitCode == 0, runs.ToString());
        Assert.Equal(runId, Assert.Single(JsonDocument.Parse(runs.StandardOutput).RootElement.GetProperty("items").EnumerateArray()).GetProperty("runId").GetGuid());
        Assert.True(reports.ExitCode == 0, reports.ToString());
        Assert.Contains("validation", reports.StandardOutput);
        Assert.True(validation.ExitCode == 0, validation.ToString());
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(validation.StandardOutput).RootElement.ValueKind);
    }

    [Fact]
    public async Task A_wrong_key_exits_4_and_an_unreachable_gateway_exits_5()
    {
        using var load = HookBatches.Write(HookBatches.Csv(10, withOutliers: false));

        var wrongKey = await VigilAsync("runs", "--key", "not-a-key");
        var unreachable = await VigilAsync("runs", "--url", "http://127.0.0.1:9");

        Assert.True(wrongKey.ExitCode == 4, wrongKey.ToString());
        Assert.True(unreachable.ExitCode == 5, unreachable.ToString());
    }
}
