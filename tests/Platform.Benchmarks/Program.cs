using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Vigil.Platform.Benchmarks;
using Vigil.Scoring.Benchmarks;
using Vigil.Validation.Benchmarks;

// Whole-platform latency of Vigil as a user meets it: see BenchmarkOptions for the arguments and docs/performance.md.
BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var timeout = TimeSpan.FromMinutes(5);
using var cancellation = new CancellationTokenSource(TimeSpan.FromHours(2));
var token = cancellation.Token;
var loadAverage = LoadAverage();
Console.Error.WriteLine($"Starting Vigil (load average {loadAverage:0.0}) ...");
var started = Stopwatch.StartNew();
await using var platform = await PlatformApp.StartAsync(options.Environment, token);
var startSeconds = started.Elapsed.TotalSeconds;
var gateway = platform.Gateway;
var processes = ServiceProcesses.Of(platform.App);
using var scoringSteps = StepLog.Watch(platform.App, "scoring", "scored");
using var validationSteps = StepLog.Watch(platform.App, "validation", "validated");

if (options.Soak)
{
    var rows = args.Contains("--rows") ? options.Rows : 20_000;
    var soakBatches = args.Contains("--batches") ? options.Batches : SoakRun.DefaultBatches;
    var curve = await SoakRun.RunAsync(gateway, processes, rows, soakBatches, (name, keys) => RegisterAsync(gateway, name, keys, token), token);
    Console.WriteLine(SoakRun.ToMarkdown(curve, rows));
    // Scoring's own line per batch ends with its managed heap after the last collection: what is the runtime's and what is native.
    foreach (var line in scoringSteps.Lines) Console.Error.WriteLine($"  scoring: {line}");
    return 0;
}

// Banking-shaped batches, 20 columns: the seed generator the scoring benchmarks use, a different seed per batch.
var banking = SeedDatasets.Banking(options.Rows, seed: 1);
await RegisterAsync(gateway, "bench.banking", banking.KeyColumns, token);
Console.Error.WriteLine($"Warm-up batch of {options.Rows:N0} rows ...");
var warmUp = await RunTiming.SubmitAsync(gateway, () => Batch("bench.banking", banking.Csv, 0), timeout, token);
var trainSeconds = 0.0;
if (options.NoModel)
{
    Console.Error.WriteLine("No model trained: every batch is scored by the fallback fitted on the batch itself.");
}
else
{
    var training = Stopwatch.StartNew();
    var version = await TrainAndPromoteAsync(gateway, "bench.banking", warmUp.RunId, token);
    trainSeconds = training.Elapsed.TotalSeconds;
    Console.Error.WriteLine($"Model v{version} trained and promoted in {trainSeconds:0.0} s.");
    // The log line can reach the benchmark a moment after the response.
    for (var wait = 0; wait < 20 && scoringSteps.Trainings.IsEmpty; wait++) await Task.Delay(50, token);
    foreach (var line in scoringSteps.Trainings) Console.Error.WriteLine($"  {line}");
}

var batches = new List<RunTiming>();
var samples = new List<IReadOnlyDictionary<string, (double Cpu, long Peak)>>();
for (var i = 1; i <= options.Batches; i++)
{
    var csv = SeedDatasets.Banking(options.Rows, seed: 1 + i).Csv;
    var before = processes.Begin();
    var timing = await RunTiming.SubmitAsync(gateway, () => Batch("bench.banking", csv, i), timeout, token);
    samples.Add(Sample(before, processes.Read()));
    batches.Add(timing);
    Console.Error.WriteLine($"  batch {i}: {timing.Status}, accepted {timing.AcceptedMs / 1000:0.00} s, completed {timing.CompletedMs / 1000:0.00} s");
}

var reconciliations = new List<RunTiming>();
var reconciliationSamples = new List<IReadOnlyDictionary<string, (double Cpu, long Peak)>>();
if (options.Reconcile)
{
    await RegisterAsync(gateway, "bench.reconcile", ["id"], token);
    var source = SyntheticBatches.WideCsv(options.Rows, 20, seed: 7);
    var target = TargetOf(source);
    for (var i = 1; i <= options.Batches; i++)
    {
        var before = processes.Begin();
        var timing = await RunTiming.SubmitAsync(gateway, () => Reconciliation("bench.reconcile", source, target, i), timeout, token);
        reconciliationSamples.Add(Sample(before, processes.Read()));
        reconciliations.Add(timing);
        Console.Error.WriteLine($"  reconciliation {i}: {timing.Status}, completed {timing.CompletedMs / 1000:0.00} s");
    }
}

var label = Commit();
var result = new BenchmarkResult(label, DateTimeOffset.UtcNow, options.Rows, options.Batches, loadAverage, startSeconds, trainSeconds,
    Phases(batches), Phases(reconciliations),
    ServiceProcesses.All.Where(s => samples.All(x => x.ContainsKey(s))).ToDictionary(s => s, s => new ServiceFigures(
        BenchmarkResult.Median(samples.Select(x => x[s].Cpu)), samples.Max(x => x[s].Peak), processes.Read().GetValueOrDefault(s)?.ResidentBytes ?? 0)));

BenchmarkResult? baseline = null;
if (options.Compare is { } compare)
{
    var path = File.Exists(compare) ? compare : ResultPath(compare);
    if (File.Exists(path)) baseline = JsonSerializer.Deserialize<BenchmarkResult>(await File.ReadAllTextAsync(path, token), BenchmarkResult.Json);
    else Console.Error.WriteLine($"No saved result at {path}: run the benchmark with --save at that commit first.");
}
Console.WriteLine(result.ToMarkdown(baseline));
Console.WriteLine(scoringSteps.ToMarkdown(scoringSteps.Medians(batches.Select(b => b.RunId))));
if (reconciliations.Count > 0)
{
    Console.WriteLine(ReconciliationCpu(reconciliationSamples));
    Console.WriteLine(validationSteps.ToMarkdown(validationSteps.Medians(reconciliations.Select(r => r.RunId)), "reconciliations"));
    Console.WriteLine(scoringSteps.ToMarkdown(scoringSteps.Medians(reconciliations.Select(r => r.RunId)), "reconciliations (the target)"));
}
foreach (var line in scoringSteps.Lines.Where(l => l.Contains("; resident", StringComparison.Ordinal)))
    Console.Error.WriteLine($"  Scoring after a batch:{line[(line.IndexOf("; resident", StringComparison.Ordinal) + 1)..]}");
if (options.Save)
{
    var path = ResultPath(label);
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, BenchmarkResult.Json), token);
    Console.Error.WriteLine($"Saved to {path}");
}
var failed = batches.Concat(reconciliations).Count(r => r.Status != "completed");
if (failed > 0) Console.Error.WriteLine($"{failed} run(s) did not complete: the figures above include them.");
return failed == 0 ? 0 : 1;

static Dictionary<string, (double Cpu, long Peak)> Sample(
    IReadOnlyDictionary<string, ServiceProcesses.Sample> before, IReadOnlyDictionary<string, ServiceProcesses.Sample> after) =>
    after.Where(a => before.ContainsKey(a.Key)).ToDictionary(a => a.Key, a => (a.Value.CpuSeconds - before[a.Key].CpuSeconds, a.Value.PeakResidentBytes));

static string ReconciliationCpu(IReadOnlyList<IReadOnlyDictionary<string, (double Cpu, long Peak)>> samples)
{
    var text = new StringBuilder("| service or server (reconciliation, median) | CPU | peak resident |\n|---|---|---|\n");
    foreach (var service in ServiceProcesses.All.Where(s => samples.All(x => x.ContainsKey(s))))
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| {service} | {BenchmarkResult.Median(samples.Select(x => x[service].Cpu)):0.00} s | {samples.Max(x => x[service].Peak) / 1048576.0:N0} MiB |");
    text.AppendLine(CultureInfo.InvariantCulture, $"| all of them | {BenchmarkResult.Median(samples.Select(x => x.Values.Sum(v => v.Cpu))):0.00} s | |");
    return text.ToString();
}

static Dictionary<string, double> Phases(IReadOnlyList<RunTiming> runs)
{
    if (runs.Count == 0) return [];
    double StageEnd(RunTiming r, string stage) => r.StageEndMs.GetValueOrDefault(stage, double.NaN);
    return new Dictionary<string, double>
    {
        ["upload -> 202"] = BenchmarkResult.Median(runs.Select(r => r.AcceptedMs)),
        ["upload -> validated"] = BenchmarkResult.Median(runs.Select(r => StageEnd(r, "validate"))),
        ["upload -> scored"] = BenchmarkResult.Median(runs.Select(r => StageEnd(r, "score"))),
        ["upload -> reports available"] = BenchmarkResult.Median(runs.Select(r => r.ReportsAvailableMs)),
        ["upload -> run completed"] = BenchmarkResult.Median(runs.Select(r => r.CompletedMs)),
        ["upload -> verdict seen by the client"] = BenchmarkResult.Median(runs.Select(r => r.VerdictVisibleMs)),
        ["validate stage"] = BenchmarkResult.Median(runs.Select(r => r.StageDurationMs.GetValueOrDefault("validate", double.NaN))),
        ["score stage"] = BenchmarkResult.Median(runs.Select(r => r.StageDurationMs.GetValueOrDefault("score", double.NaN))),
    };
}

static HttpRequestMessage Batch(string dataset, byte[] csv, int day) =>
    new(HttpMethod.Post, $"/api/datasets/{dataset}/batches?executionDate={ExecutionDate(day)}")
    {
        Content = new ByteArrayContent(csv) { Headers = { ContentType = new("text/csv") } },
    };

static HttpRequestMessage Reconciliation(string dataset, byte[] source, byte[] target, int day)
{
    var form = new MultipartFormDataContent
    {
        { new ByteArrayContent(source) { Headers = { ContentType = new("text/csv") } }, "source", "source.csv" },
        { new ByteArrayContent(target) { Headers = { ContentType = new("text/csv") } }, "target", "target.csv" },
    };
    return new HttpRequestMessage(HttpMethod.Post, $"/api/datasets/{dataset}/reconciliations?executionDate={ExecutionDate(day)}") { Content = form };
}

static string ExecutionDate(int day) => new DateOnly(2026, 1, 1).AddDays(day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

// The target as a faulty load leaves it: every 500th record missing, every 1000th loaded twice, every 400th changed.
static byte[] TargetOf(byte[] source)
{
    var lines = Encoding.UTF8.GetString(source).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    var target = new StringBuilder(source.Length + 1024).Append(lines[0]).Append('\n');
    for (var i = 1; i < lines.Length; i++)
    {
        if (i % 500 == 0) continue;
        var line = i % 400 == 0 ? ChangedAmount(lines[i]) : lines[i];
        target.Append(line).Append('\n');
        if (i % 1000 == 1) target.Append(line).Append('\n');
    }
    return Encoding.UTF8.GetBytes(target.ToString());
}

static string ChangedAmount(string line)
{
    var fields = line.Split(',');
    fields[1] = "0.01";
    return string.Join(',', fields);
}

static async Task RegisterAsync(HttpClient gateway, string name, IReadOnlyList<string> keys, CancellationToken token)
{
    using var response = await gateway.PostAsJsonAsync("/api/datasets", new
    {
        name, keyColumns = keys, driftPolicy = "warn",
        rules = new object[] { new { kind = "unique", columns = keys }, new { kind = "not_null", column = keys[0] } },
    }, token);
    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Registering {name} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(token)}");
}

static async Task<int> TrainAndPromoteAsync(HttpClient gateway, string dataset, Guid runId, CancellationToken token)
{
    using var trained = await gateway.PostAsJsonAsync($"/api/datasets/{dataset}/models", new { runId }, token);
    if (!trained.IsSuccessStatusCode) throw new InvalidOperationException($"Training answered {(int)trained.StatusCode}: {await trained.Content.ReadAsStringAsync(token)}");
    var version = (await trained.Content.ReadFromJsonAsync<JsonElement>(token)).GetProperty("version").GetInt32();
    using var promoted = await gateway.PostAsync($"/api/datasets/{dataset}/models/{version}/promote", null, token);
    promoted.EnsureSuccessStatusCode();
    return version;
}

static string ResultPath(string label) =>
    Path.Combine(Vigil.AppHost.Resources.VigilLayout.From(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()).RepositoryRoot, ".vigil", "bench", label + ".json");

static string Commit()
{
    try
    {
        using var git = Process.Start(new ProcessStartInfo("git", "rev-parse --short HEAD") { RedirectStandardOutput = true })!;
        var commit = git.StandardOutput.ReadToEnd().Trim();
        git.WaitForExit();
        return commit.Length > 0 ? commit : "unknown";
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return "unknown";
    }
}

static double LoadAverage() =>
    double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
