using System.Text.Json;
using System.Text.Json.Serialization;
using Vigil.Cli.Arguments;

namespace Vigil.Cli;

/// <summary>
/// What an ended run says about the data, read from <c>GET /api/runs/{id}</c>, and judged against --fail-on: the exit
/// code and every reason for it. A failed run outranks a data condition (3 before 1).
/// </summary>
public sealed record Verdict(
    Guid RunId, string Dataset, string Status, string? FailedStage, string? FailureReason, long? RowCount, double? DqScore,
    IReadOnlyDictionary<string, long> Decisions, int? RulesFailed, IReadOnlyList<string> Drift, IReadOnlyList<string> Reasons, int ExitCode)
{
    [JsonPropertyName("passed")]
    public bool Passed => ExitCode == ExitCodes.Passed;

    public static Verdict Judge(JsonElement run, FailOn failOn)
    {
        var status = run.GetProperty("status").GetString() ?? "unknown";
        string? stage = null, reason = null;
        if (run.TryGetProperty("failure", out var failure) && failure.ValueKind == JsonValueKind.Object)
        {
            stage = Text(failure, "stage");
            reason = Text(failure, "reason");
        }
        var decisions = run.TryGetProperty("decisionCounts", out var counts) && counts.ValueKind == JsonValueKind.Object
            ? counts.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64())
            : [];
        int? rulesFailed = null;
        double? dqScore = null;
        IReadOnlyList<string> drift = [];
        if (run.TryGetProperty("validation", out var validation) && validation.ValueKind == JsonValueKind.Object)
        {
            if (validation.TryGetProperty("rulesFailed", out var rules) && rules.ValueKind == JsonValueKind.Number) rulesFailed = rules.GetInt32();
            if (validation.TryGetProperty("dqScore", out var dq) && dq.ValueKind == JsonValueKind.Number) dqScore = dq.GetDouble();
            if (validation.TryGetProperty("drift", out var d) && d.ValueKind == JsonValueKind.Array) drift = [.. d.EnumerateArray().Select(e => e.ToString())];
        }
        long? rowCount = run.TryGetProperty("rowCount", out var rows) && rows.ValueKind == JsonValueKind.Number ? rows.GetInt64() : null;

        var reasons = new List<string>();
        var exitCode = ExitCodes.Passed;
        if (status == "failed" && failOn.HasFlag(FailOn.Failed))
        {
            reasons.Add($"run failed{(stage is null ? "" : $" in {stage}")}: {reason ?? "no reason given"}");
            exitCode = ExitCodes.RunFailed;
        }
        void DataCondition(bool holds, string why)
        {
            if (!holds) return;
            reasons.Add(why);
            if (exitCode == ExitCodes.Passed) exitCode = ExitCodes.Blocked;
        }
        DataCondition(failOn.HasFlag(FailOn.Block) && decisions.GetValueOrDefault("block") > 0, $"{decisions.GetValueOrDefault("block")} record(s) scored block");
        DataCondition(failOn.HasFlag(FailOn.Review) && decisions.GetValueOrDefault("review") > 0, $"{decisions.GetValueOrDefault("review")} record(s) scored review");
        DataCondition(failOn.HasFlag(FailOn.Rules) && rulesFailed > 0, $"{rulesFailed} rule(s) failed");
        DataCondition(failOn.HasFlag(FailOn.Drift) && drift.Count > 0, $"schema drift: {string.Join("; ", drift)}");

        return new Verdict(run.GetProperty("runId").GetGuid(), Text(run, "dataset") ?? "", status, stage, reason, rowCount, dqScore,
            decisions, rulesFailed, drift, reasons, exitCode);
    }

    /// <summary>One line for people: PASSED/BLOCKED/FAILED, the run, and what decided it.</summary>
    public string Summary()
    {
        var outcome = ExitCode switch
        {
            ExitCodes.Passed => "PASSED",
            ExitCodes.RunFailed => "FAILED",
            _ => "BLOCKED",
        };
        var decisions = Decisions.Count == 0 ? "no scores" : string.Join(" ", Decisions.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}={d.Value}"));
        var facts = $"status={Status} rows={RowCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} {decisions}"
            + (DqScore is { } dq ? $" dq={dq.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)}" : "")
            + (RulesFailed is { } r ? $" rulesFailed={r}" : "");
        return $"{outcome} {Dataset} run {RunId}: {facts}" + (Reasons.Count > 0 ? $" ({string.Join("; ", Reasons)})" : "");
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
