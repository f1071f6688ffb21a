using System.Diagnostics;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Reports;
using Vigil.Tabular.Spill;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Benchmarks;

/// <summary>
/// The Scoring stage's own work on one batch, step by step, without the object store and Postgres around it: reading
/// the batch (parsing its CSV, or reading Validation's columnar spill, and what writing that spill costs Validation),
/// features, the ensemble, feature drift, the anomaly records and the scores report. Median of three, wall and process
/// CPU time, and the managed bytes each step allocates, so the split of the score stage is known before anything in it
/// is changed (issue 16). The model is trained as the platform benchmark trains it, through the API without a label
/// column, so every detector has weight and is scored.
/// </summary>
public static class PlumbingRun
{
    private const int Runs = 3;

    public static void Run(int rows)
    {
        var trainingRows = Math.Min(rows, 100_000);
        Console.Error.WriteLine($"[plumbing] generating {rows:N0} banking rows; training on {trainingRows:N0}");
        var (model, _) = EnsembleTrainer.Train(QualityRun.Read(SeedDatasets.Banking(trainingRows, QualityRun.TrainingSeed).Csv),
            new TrainingRequest { KeyColumns = SeedDatasets.Banking(1_000, 1).KeyColumns, Seed = QualityRun.TrainingSeed });
        var batch = SeedDatasets.Banking(rows, QualityRun.EvaluationSeed);
        var origin = new SpillOrigin("raw/bench/run.csv", TableReader.CsvMediaType, ',');

        var steps = new List<(string Step, Func<object?> Action)>();
        TypedTable table = QualityRun.Read(batch.Csv);
        byte[] spill = [];
        Vigil.Scoring.Features.FeatureMatrix features = null!;
        EnsembleScores scores = null!;
        steps.Add(("parse the CSV (TableReader)", () => table = QualityRun.Read(batch.Csv)));
        steps.Add(("write the columnar spill (Validation's extra work)", () => spill = SpillBytes(table, origin)));
        steps.Add(("read the columnar spill", () => table = TableSpill.Read(new MemoryStream(spill), spill.Length, origin)));
        steps.Add(("features (pipeline transform)", () => features = model.Pipeline.Transform(table)));
        steps.Add(("ensemble score", () => scores = model.Score(features)));
        steps.Add(("feature drift (PSI)", () => model.Reference?.Psi(features)));
        steps.Add(("anomaly records (rows not approved, with top features)", () =>
            Enumerable.Range(0, table.RowCount).Where(r => scores.Decision(r) != "approve").Select(r => scores.TopFeatures(r)).Count()));
        steps.Add(("scores.csv, parallel blocks", () =>
        {
            long bytes = 0;
            ScoresReport.WriteAsync(block => { bytes += block.Length; return Task.CompletedTask; }, table, batch.KeyColumns, scores,
                Math.Max(2, Environment.ProcessorCount), CancellationToken.None).GetAwaiter().GetResult();
            return bytes;
        }
        ));

        var wall = steps.ToDictionary(s => s.Step, _ => new List<double>());
        var cpu = steps.ToDictionary(s => s.Step, _ => new List<double>());
        var allocated = steps.ToDictionary(s => s.Step, _ => new List<double>());
        for (var run = 0; run <= Runs; run++)
        {
            foreach (var (step, action) in steps)
            {
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                var clock = Stopwatch.StartNew();
                action();
                if (run == 0) continue; // the first run warms up (JIT, lazy tables)
                wall[step].Add(clock.Elapsed.TotalSeconds);
                cpu[step].Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds);
                allocated[step].Add((GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1048576.0);
            }
        }

        Console.WriteLine($"# Scoring stage, step by step: banking {rows:N0} rows x {batch.Columns} columns (spill {spill.Length / 1048576.0:F0} MiB, CSV {batch.Csv.Length / 1048576.0:F0} MiB)");
        Console.WriteLine();
        Console.WriteLine(QualityRun.Environment());
        Console.WriteLine("| step | wall, median of 3 | CPU time, median of 3 | managed allocations |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (step, _) in steps)
            Console.WriteLine($"| {step} | {Median(wall[step]):F2} s | {Median(cpu[step]):F2} s | {Median(allocated[step]):F0} MiB |");
        Console.WriteLine();
        Console.WriteLine($"Peak resident memory of this process: {PeakResidentMiB():F0} MiB.");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static double PeakResidentMiB() =>
        File.ReadLines("/proc/self/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(l => double.Parse(l[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024).FirstOrDefault();

    private static byte[] SpillBytes(TypedTable table, SpillOrigin origin)
    {
        using var stream = new MemoryStream();
        TableSpill.Write(stream, table, origin);
        return stream.ToArray();
    }
}
