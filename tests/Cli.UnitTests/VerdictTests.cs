using System.Text.Json;
using Vigil.Cli.Arguments;

namespace Vigil.Cli.UnitTests;

public sealed class VerdictTests
{
    private static readonly Guid RunId = Guid.Parse("0a7f3a62-5a43-4a40-a2bb-4b3f1e4b2b0c");

    private static JsonElement Run(string status, object? decisions = null, object? validation = null, object? failure = null) =>
        JsonSerializer.SerializeToElement(new { runId = RunId, dataset = "sales.orders", status, rowCount = 120, decisionCounts = decisions, validation, failure },
            new JsonSerializerOptions(JsonSerializerDefaults.Web));

    [Fact]
    public void A_completed_run_without_blocked_records_passes()
    {
        var verdict = Verdict.Judge(Run("completed", new { approve = 118, review = 2 }, new { dqScore = 97.5, rulesFailed = 0, drift = Array.Empty<string>() }), FailOnList.Parse("block,failed"));

        Assert.Equal(ExitCodes.Passed, verdict.ExitCode);
        Assert.True(verdict.Passed);
        Assert.Empty(verdict.Reasons);
        Assert.StartsWith("PASSED sales.orders", verdict.Summary());
    }

    [Fact]
    public void Blocked_records_exit_1_when_block_is_a_fail_condition()
    {
        var run = Run("completed", new { approve = 110, review = 7, block = 3 });

        var blocked = Verdict.Judge(run, FailOnList.Parse("block,failed"));
        var onlyFailures = Verdict.Judge(run, FailOnList.Parse("failed"));

        Assert.Equal(ExitCodes.Blocked, blocked.ExitCode);
        Assert.Contains("3 record(s) scored block", blocked.Reasons);
        Assert.StartsWith("BLOCKED", blocked.Summary());
        Assert.Equal(ExitCodes.Passed, onlyFailures.ExitCode);
    }

    [Fact]
    public void A_failed_run_exits_3_with_its_stage_and_reason_and_outranks_blocked_records()
    {
        var verdict = Verdict.Judge(Run("failed", new { block = 1 }, failure: new { stage = "validation", reason = "ragged row 7" }), FailOnList.Parse("block,failed"));

        Assert.Equal(ExitCodes.RunFailed, verdict.ExitCode);
        Assert.Equal(("validation", "ragged row 7"), (verdict.FailedStage, verdict.FailureReason));
        Assert.Contains("run failed in validation: ragged row 7", verdict.Reasons);
        Assert.Equal(2, verdict.Reasons.Count);
    }

    [Fact]
    public void Review_rules_and_drift_count_only_when_named()
    {
        var run = Run("completed", new { approve = 100, review = 4 }, new { rulesFailed = 2, drift = new[] { "column 'fee' added" } });

        Assert.Equal(ExitCodes.Passed, Verdict.Judge(run, FailOnList.Parse("block,failed")).ExitCode);
        Assert.Equal(ExitCodes.Blocked, Verdict.Judge(run, FailOnList.Parse("review")).ExitCode);
        Assert.Equal(ExitCodes.Blocked, Verdict.Judge(run, FailOnList.Parse("rules")).ExitCode);
        var drift = Verdict.Judge(run, FailOnList.Parse("drift"));
        Assert.Equal(ExitCodes.Blocked, drift.ExitCode);
        Assert.Contains("schema drift: column 'fee' added", drift.Reasons);
    }

    [Fact]
    public void Fail_on_none_passes_even_a_failed_run()
    {
        Assert.Equal(ExitCodes.Passed, Verdict.Judge(Run("failed"), FailOnList.Parse("none")).ExitCode);
    }

    [Fact]
    public void The_json_verdict_carries_passed_exit_code_and_reasons()
    {
        var verdict = Verdict.Judge(Run("completed", new { block = 2 }), FailOnList.Parse("block"));

        var json = JsonSerializer.SerializeToElement(verdict, Commands.CliOutput.Json);

        Assert.False(json.GetProperty("passed").GetBoolean());
        Assert.Equal(ExitCodes.Blocked, json.GetProperty("exitCode").GetInt32());
        Assert.Equal(2, json.GetProperty("decisions").GetProperty("block").GetInt64());
        Assert.Equal(RunId, json.GetProperty("runId").GetGuid());
    }
}
