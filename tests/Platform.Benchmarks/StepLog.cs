using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace Vigil.Platform.Benchmarks;

/// <summary>
/// Where a stage's time goes: the step timings of a service's one log line per run, "Run ... scored: ... in N ms: read
/// spill 80 ms (cpu 90 ms), ..." (Scoring) or "Run ... validated: ... in N ms: read 900 ms (cpu ...), ..." (Validation),
/// read from the resource's console log.
/// </summary>
public sealed partial class StepLog : IDisposable
{
    private readonly string _service;
    private readonly string _verb;
    private readonly ConcurrentDictionary<Guid, IReadOnlyList<(string Step, double Milliseconds, double CpuMilliseconds)>> _runs = new();
    private readonly CancellationTokenSource _stop = new();

    private StepLog(string service, string verb) => (_service, _verb) = (service, verb);

    /// <summary>Every step line seen, as the service wrote it (Scoring's with its memory at the end of the batch).</summary>
    public ConcurrentQueue<string> Lines { get; } = new();

    /// <summary>Scoring's training lines, "Trained {dataset} v{version} on N rows in N ms: read runs ..., train ..., stored ...", as written.</summary>
    public ConcurrentQueue<string> Trainings { get; } = new();

    /// <param name="service">The resource's name: "scoring" or "validation".</param>
    /// <param name="verb">The word after the run id: "scored" or "validated".</param>
    public static StepLog Watch(DistributedApplication app, string service, string verb)
    {
        var log = new StepLog(service, verb);
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        var resource = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == service);
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var lines in logs.WatchAsync(resource).WithCancellation(log._stop.Token))
                {
                    foreach (var line in lines) log.Take(line.Content);
                }
            }
            catch (OperationCanceledException)
            {
                // The benchmark is over.
            }
        });
        return log;
    }

    private void Take(string line)
    {
        if (TrainedLine().Match(line) is { Success: true } trained) Trainings.Enqueue(line[trained.Index..]);
        var scored = StepLine().Match(line);
        if (!scored.Success || scored.Groups["verb"].Value != _verb) return;
        var steps = StepPart().Matches(scored.Groups["steps"].Value.Split(';')[0])
            .Select(m => (m.Groups["step"].Value.Trim(), double.Parse(m.Groups["ms"].Value, CultureInfo.InvariantCulture),
                double.Parse(m.Groups["cpu"].Value, CultureInfo.InvariantCulture))).ToList();
        _runs[Guid.Parse(scored.Groups["run"].Value)] = steps;
        Lines.Enqueue(line);
    }

    /// <summary>The median of each step over the given runs (runs whose line was not seen are left out), in the steps' order.</summary>
    public IReadOnlyList<(string Step, double MedianMs, double MedianCpuMs, int Runs)> Medians(IEnumerable<Guid> runIds)
    {
        var seen = runIds.Where(_runs.ContainsKey).Select(id => _runs[id]).ToList();
        return [.. seen.SelectMany(steps => steps.Select(s => s.Step)).Distinct()
            .Select(step => (step,
                BenchmarkResult.Median(seen.SelectMany(s => s.Where(x => x.Step == step).Select(x => x.Milliseconds))),
                BenchmarkResult.Median(seen.SelectMany(s => s.Where(x => x.Step == step).Select(x => x.CpuMilliseconds))),
                seen.Count(s => s.Any(x => x.Step == step))))];
    }

    public string ToMarkdown(IReadOnlyList<(string Step, double MedianMs, double MedianCpuMs, int Runs)> steps, string counted = "batches")
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"| {_service}'s step (its log line) | median wall | median CPU ({_service}'s process) | {counted} |\n|---|---|---|---|\n");
        foreach (var (step, ms, cpu, runs) in steps)
            text.AppendLine(CultureInfo.InvariantCulture, $"| {step} | {ms / 1000:0.00} s | {cpu / 1000:0.00} s | {runs} |");
        return text.ToString();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    [GeneratedRegex(@"Run (?<run>[0-9a-f-]{36}) (?<verb>scored|validated): .* ms: (?<steps>.*)$")]
    private static partial Regex StepLine();

    [GeneratedRegex(@"Trained \S+ v\d+ on \d+ rows in \d+ ms: ")]
    private static partial Regex TrainedLine();

    [GeneratedRegex(@"(?<step>[a-z ]+) (?<ms>\d+) ms \(cpu (?<cpu>\d+) ms\)")]
    private static partial Regex StepPart();
}
