using System.Text.Json;
using Vigil.Cli.Arguments;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil check</c>: submits the file (and source), then with --wait polls the run until it ends and judges the
/// verdict. Without --wait the receipt is the result and the exit code is 0 once Vigil accepted the batch.
/// </summary>
public static class CheckRunner
{
    private static readonly TimeSpan SummaryGrace = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(CheckCommand check, VigilApi api, CliOutput output, CancellationToken cancellationToken)
    {
        output.Progress($"submitting {check.File}{(check.Source is null ? "" : $" against source {check.Source}")} to {check.Dataset}");
        var receipt = await api.SubmitAsync(check, cancellationToken);
        var runId = receipt.GetProperty("runId").GetGuid();
        var duplicate = receipt.TryGetProperty("duplicate", out var d) && d.ValueKind == JsonValueKind.True;
        output.Progress(duplicate ? $"same batch already submitted: run {runId}" : $"accepted: run {runId}");
        if (!check.Wait)
        {
            if (check.Json) output.WriteJson(receipt);
            else output.Out.WriteLine(runId);
            return ExitCodes.Passed;
        }

        var run = await WaitAsync(api, runId, check.Timeout, output, cancellationToken);
        var verdict = Verdict.Judge(run, check.FailOn);
        if (check.Json) output.WriteJson(verdict);
        else output.Out.WriteLine(verdict.Summary());
        return verdict.ExitCode;
    }

    /// <summary>
    /// Polls until the run is failed, or completed with its validation summary (Lineage hears the stages separately, so
    /// the summary may land a moment after completion; after <see cref="SummaryGrace"/> the run is taken as it is).
    /// </summary>
    public static async Task<JsonElement> WaitAsync(VigilApi api, Guid runId, TimeSpan timeout, CliOutput output, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var delay = TimeSpan.FromMilliseconds(250);
        DateTime? completedSeen = null;
        var lastState = "";
        while (true)
        {
            if (await api.FindRunAsync(runId, cancellationToken) is { } run)
            {
                var status = run.GetProperty("status").GetString();
                var state = $"{status} ({string.Join(", ", Stages(run))})";
                if (state != lastState) output.Progress($"run {runId}: {state}");
                lastState = state;
                if (status == "failed") return run;
                if (status == "completed")
                {
                    completedSeen ??= DateTime.UtcNow;
                    if (run.TryGetProperty("validation", out var v) && v.ValueKind == JsonValueKind.Object || DateTime.UtcNow - completedSeen > SummaryGrace)
                        return run;
                }
            }
            if (DateTime.UtcNow + delay > deadline)
                throw new CliException(ExitCodes.TimedOut, $"run {runId} had not ended after {timeout.TotalSeconds:0} s (last seen: {(lastState.Length == 0 ? "not yet known" : lastState)}); follow it with 'vigil report {runId}'.");
            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 2000));
        }
    }

    private static IEnumerable<string> Stages(JsonElement run) =>
        run.TryGetProperty("stages", out var stages) && stages.ValueKind == JsonValueKind.Array
            ? stages.EnumerateArray().Select(s => $"{s.GetProperty("stage").GetString()} {s.GetProperty("status").GetString()}")
            : [];
}
