using System.Globalization;
using System.Text;
using Vigil.Events.LoadTest;

namespace Vigil.Chaos;

/// <summary>The counts a chaos run is judged by, computed from what the client and the public API saw.</summary>
public sealed record ChaosOutcome
{
    public int Sent { get; init; }
    public int Accepted { get; init; }
    /// <summary>Never accepted within the client's retry budget, or refused with a final 4xx.</summary>
    public int Refused { get; init; }
    /// <summary>Accepted, yet no run is known for it.</summary>
    public int Lost { get; init; }
    /// <summary>Known, but neither completed nor failed by the end of the settle budget.</summary>
    public int Stuck { get; init; }
    /// <summary>Runs beyond the first for one dataset and execution date.</summary>
    public int Duplicated { get; init; }
    public int Completed { get; init; }
    public int Failed { get; init; }
    /// <summary>Failed although validation and scoring both completed: a verdict that is wrong.</summary>
    public int FalselyFailed { get; init; }
    public int ReportsMissing { get; init; }
    public int AlertsExpected { get; init; }
    public int AlertsDelivered { get; init; }
    public int AlertsDuplicated { get; init; }

    /// <summary>Deliveries that repeated an alert already received, with the same Idempotency-Key (at-least-once; not a second alert).</summary>
    public int AlertDeliveriesRepeated { get; init; }
    public int FailureAlerts { get; init; }

    /// <summary>
    /// Runs Ingest announced again because they had gone silent (a message lost or stranded on the way): they still
    /// ended, which is the guarantee, but each one is a defect of the path it was lost on, listed for a look.
    /// </summary>
    public int Redriven { get; init; }
    public IReadOnlyList<double> AcceptSeconds { get; init; } = [];
    public IReadOnlyList<double> CompleteSeconds { get; init; } = [];
    public IReadOnlyDictionary<string, int> Refusals { get; init; } = new Dictionary<string, int>();
    public IReadOnlyList<string> Problems { get; init; } = [];

    public static ChaosOutcome From(IReadOnlyList<SubmittedBatch> batches, IReadOnlyDictionary<(string Dataset, DateOnly Date), int> runCounts,
        IReadOnlyDictionary<Guid, int> alertsPerRun, int failureAlerts, IReadOnlyDictionary<Guid, string> alertRecords)
    {
        var accepted = batches.Where(b => b.RunId is not null).ToList();
        var completed = accepted.Where(b => b.Status == "completed").ToList();
        var failed = accepted.Where(b => b.Status == "failed").ToList();
        var problems = new List<string>();
        void Note(IEnumerable<SubmittedBatch> which, string what, Func<SubmittedBatch, string> detail) =>
            problems.AddRange(which.Take(5).Select(b => $"{what}: batch {b.Index} ({b.Dataset} {b.ExecutionDate:yyyy-MM-dd}) {detail(b)}"));

        var refused = batches.Where(b => b.RunId is null).ToList();
        var lost = accepted.Where(b => b.Status is null).ToList();
        var stuck = accepted.Where(b => b.Status is not null and not ("completed" or "failed")).ToList();
        var falselyFailed = failed.Where(b => b.CompletedStages.Contains("validate") && b.CompletedStages.Contains("score")).ToList();
        var missingReports = completed.Where(b => b.MissingReports.Count > 0).ToList();
        Note(refused, "refused", b => string.Join(", ", b.Refusals.Select(r => $"{r.Key} x{r.Value}")));
        Note(lost, "lost", b => $"run {b.RunId}");
        Note(stuck, "stuck", b => $"run {b.RunId} {b.Status} after stages {string.Join("/", b.CompletedStages)}");
        Note(failed, "failed", b => $"run {b.RunId}: {b.FailureReason}");
        Note(missingReports, "reports missing", b => $"run {b.RunId}: {string.Join(", ", b.MissingReports)}");
        var duplicatedKeys = runCounts.Where(c => c.Value > 1).ToList();
        problems.AddRange(duplicatedKeys.Take(5).Select(c => $"duplicated: {c.Key.Dataset} {c.Key.Date:yyyy-MM-dd} has {c.Value} runs"));
        var missingAlerts = completed.Where(b => alertsPerRun.GetValueOrDefault(b.RunId!.Value) == 0).ToList();
        var redriven = accepted.Where(b => b.RedriveNote is not null).ToList();
        Note(redriven, "announced again (not a failure)", b => $"run {b.RunId} {b.Status}: {b.RedriveNote}");
        Note(missingAlerts, "alert missing", b => $"run {b.RunId}: {alertRecords.GetValueOrDefault(b.RunId!.Value, "not looked up")}");

        return new ChaosOutcome
        {
            Sent = batches.Count,
            Accepted = accepted.Count,
            Refused = refused.Count,
            Lost = lost.Count,
            Stuck = stuck.Count,
            Duplicated = duplicatedKeys.Sum(c => c.Value - 1),
            Completed = completed.Count,
            Failed = failed.Count,
            FalselyFailed = falselyFailed.Count,
            ReportsMissing = missingReports.Count,
            AlertsExpected = completed.Count,
            AlertsDelivered = completed.Count(b => alertsPerRun.GetValueOrDefault(b.RunId!.Value) > 0),
            AlertsDuplicated = alertsPerRun.Values.Sum(n => Math.Max(0, n - 1)),
            FailureAlerts = failureAlerts,
            Redriven = redriven.Count,
            AcceptSeconds = [.. accepted.Select(b => b.AcceptSeconds ?? 0)],
            CompleteSeconds = [.. completed.Select(b => b.CompleteSeconds ?? 0)],
            Refusals = batches.SelectMany(b => b.Refusals).GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Sum(r => r.Value)),
            Problems = problems,
        };
    }

    /// <summary>True when nothing was lost, stuck, duplicated, wrongly failed, missing or alerted twice.</summary>
    public bool Clean => Refused == 0 && Lost == 0 && Stuck == 0 && Duplicated == 0 && Failed == 0 && FalselyFailed == 0
                         && ReportsMissing == 0 && AlertsDelivered == AlertsExpected && AlertsDuplicated == 0 && FailureAlerts == 0;

    public string ToMarkdown(IEnumerable<FaultTimeline.Entry> faults)
    {
        var table = new StringBuilder();
        table.AppendLine("| measure | count |").AppendLine("| --- | ---: |");
        void Row(string name, object value) => table.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {value} |");
        Row("batches sent", Sent);
        Row("accepted (202 or the first receipt)", Accepted);
        Row("refused (never accepted)", Refused);
        Row("lost (accepted, no run)", Lost);
        Row("stuck (not ended in time)", Stuck);
        Row("duplicated runs", Duplicated);
        Row("completed", Completed);
        Row("failed", Failed);
        Row("failed although validated and scored", FalselyFailed);
        Row("completed runs with a report missing", ReportsMissing);
        Row("alerts expected / delivered / duplicated", $"{AlertsExpected} / {AlertsDelivered} / {AlertsDuplicated}");
        Row("alert deliveries repeated (same Idempotency-Key)", AlertDeliveriesRepeated);
        Row("run-failed alerts", FailureAlerts);
        Row("runs announced again after going silent (redrive)", Redriven);
        Row("answers retried (status and problem title)",
            Refusals.Count == 0 ? "none" : string.Join("; ", Refusals.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}: {r.Value}")));
        table.AppendLine().AppendLine("| latency (s) | p50 | p95 | p99 | max |").AppendLine("| --- | ---: | ---: | ---: | ---: |");
        void Latency(string name, IReadOnlyList<double> values) => table.AppendLine(CultureInfo.InvariantCulture,
            $"| {name} | {Percentiles.Of(values, 50):0.00} | {Percentiles.Of(values, 95):0.00} | {Percentiles.Of(values, 99):0.00} | {(values.Count == 0 ? 0 : values.Max()):0.00} |");
        Latency("first attempt -> accepted", AcceptSeconds);
        Latency("accepted -> run completed", CompleteSeconds);
        table.AppendLine().AppendLine("| fault | began (s) | ended (s) |").AppendLine("| --- | ---: | ---: |");
        foreach (var fault in faults) table.AppendLine(CultureInfo.InvariantCulture, $"| {fault.Fault} | {fault.BeganAtSeconds:0.0} | {fault.EndedAtSeconds:0.0} |");
        foreach (var problem in Problems) table.AppendLine(CultureInfo.InvariantCulture, $"- {problem}");
        return table.ToString();
    }
}
