using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Vigil.AppHost.Resources;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Hooks;

/// <summary>
/// The orchestrator examples' standard-library client, run with plain <c>python3</c> against the running system: the
/// script's own check command, the Airflow task's function and the Dagster check's function (the orchestrators
/// themselves are not installed; their definitions are skipped on import).
/// </summary>
[Collection(VigilAppCollection.Name)]
public sealed class PythonExampleTests(VigilAppFixture fixture)
{
    private static readonly string Examples = Path.Combine(VigilLayout.From(new ConfigurationBuilder().Build()).RepositoryRoot, "examples");

    private async Task<Dictionary<string, string>> EnvironmentAsync() => new()
    {
        ["VIGIL_URL"] = fixture.GetEndpoint("gateway").ToString(),
        ["VIGIL_API_KEY"] = await HookKeys.PipelineKeyAsync(fixture),
        ["PYTHONDONTWRITEBYTECODE"] = "1",
    };

    private async Task<string> DatasetAsync()
    {
        var dataset = $"tests.py_{Guid.NewGuid():n}"[..23];
        await fixture.RegisterDatasetAsync(dataset, new { keyColumns = new[] { HookBatches.KeyColumn } });
        return dataset;
    }

    [Fact]
    public async Task The_client_script_submits_waits_and_exits_with_the_verdict()
    {
        var dataset = await DatasetAsync();
        using var clean = HookBatches.Write(HookBatches.Csv(200, withOutliers: false));
        using var bad = HookBatches.Write(HookBatches.Csv(1000, withOutliers: true));
        string[] Check(string file) => [Path.Combine(Examples, "airflow", "vigil_client.py"), "check", "--dataset", dataset, "--file", file, "--fail-on", "block,failed"];

        var passed = await ToolRun.RunAsync("python3", Check(clean.Path), await EnvironmentAsync());
        var blocked = await ToolRun.RunAsync("python3", [.. Check(bad.Path), "--execution-date", "2026-11-21"], await EnvironmentAsync());

        Assert.True(passed.ExitCode == 0, passed.ToString());
        var verdict = JsonDocument.Parse(passed.StandardOutput).RootElement;
        Assert.True(verdict.GetProperty("passed").GetBoolean());
        Assert.Equal("completed", (await fixture.Api.WaitForRunAsync(verdict.GetProperty("runId").GetGuid())).Status);
        Assert.True(blocked.ExitCode == 1, blocked.ToString());
        Assert.Contains("scored block", blocked.StandardOutput);
    }

    [Fact]
    public async Task The_airflow_task_function_raises_on_a_blocked_batch_and_returns_the_verdict_on_a_clean_one()
    {
        var dataset = await DatasetAsync();
        using var clean = HookBatches.Write(HookBatches.Csv(200, withOutliers: false));
        using var bad = HookBatches.Write(HookBatches.Csv(1000, withOutliers: true));
        var script = $$"""
            import json, vigil_dag
            ok = vigil_dag.check_load("{{dataset}}", "{{clean.Path}}", execution_date="2026-11-20")
            try:
                vigil_dag.check_load("{{dataset}}", "{{bad.Path}}", execution_date="2026-11-21")
                raised = None
            except vigil_dag.VigilCheckFailed as e:
                raised = str(e)
            print(json.dumps({"ok": ok, "raised": raised, "dag_defined": vigil_dag.dag is not None}))
            """;

        var run = await ToolRun.RunAsync("python3", ["-c", script], await EnvironmentAsync(), workingDirectory: Path.Combine(Examples, "airflow"));

        Assert.True(run.ExitCode == 0, run.ToString());
        var result = JsonDocument.Parse(run.StandardOutput.Trim().Split('\n')[^1]).RootElement;
        Assert.True(result.GetProperty("ok").GetProperty("passed").GetBoolean());
        Assert.Contains("scored block", result.GetProperty("raised").GetString());
        Assert.False(result.GetProperty("dag_defined").GetBoolean());
    }

    [Fact]
    public async Task The_dagster_check_function_gives_passed_and_metadata()
    {
        var dataset = await DatasetAsync();
        using var bad = HookBatches.Write(HookBatches.Csv(1000, withOutliers: true));
        var script = $$"""
            import json, vigil_assets
            passed, metadata = vigil_assets.verdict_for("{{dataset}}", "{{bad.Path}}")
            print(json.dumps({"passed": passed, "metadata": metadata}))
            """;

        var run = await ToolRun.RunAsync("python3", ["-c", script], await EnvironmentAsync(), workingDirectory: Path.Combine(Examples, "dagster"));

        Assert.True(run.ExitCode == 0, run.ToString());
        var result = JsonDocument.Parse(run.StandardOutput).RootElement;
        Assert.False(result.GetProperty("passed").GetBoolean());
        var metadata = result.GetProperty("metadata");
        Assert.Equal("completed", metadata.GetProperty("status").GetString());
        Assert.True(metadata.GetProperty("decisions").GetProperty("block").GetInt64() > 0);
    }

    [Fact]
    public void Both_examples_carry_the_same_client()
    {
        Assert.Equal(File.ReadAllText(Path.Combine(Examples, "airflow", "vigil_client.py")), File.ReadAllText(Path.Combine(Examples, "dagster", "vigil_client.py")));
    }
}
