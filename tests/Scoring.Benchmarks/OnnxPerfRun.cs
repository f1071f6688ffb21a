using System.Diagnostics;
using Vigil.Scoring.Detectors;
using Vigil.Scoring.Detectors.Forest;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Onnx.Runtime;
using Vigil.Scoring.Onnx.Scoring;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Benchmarks;

/// <summary>
/// The managed scorer against ONNX Runtime (the Microsoft.ML.OnnxRuntime package the service is built with; CPU unless
/// --device says otherwise) on the same trained ensemble and the same N banking rows: each detector and the whole
/// ensemble score on the feature matrix, warm, the median of several runs (wall and process CPU time, all cores), and
/// the ratio ONNX / managed.
/// </summary>
public static class OnnxPerfRun
{
    private const int WarmRuns = 5;

    public static void Run(int rows, DeviceRequest device)
    {
        var host = new OnnxRuntimeHost(device);
        if (!host.IsAvailable) throw new InvalidOperationException($"ONNX Runtime is not available: {host.FailureReason}");

        Console.Error.WriteLine($"[onnx-perf] generating and training on {rows:N0} banking rows");
        var training = SeedDatasets.Banking(rows, QualityRun.TrainingSeed);
        var scoring = SeedDatasets.Banking(rows, QualityRun.EvaluationSeed);
        var trainingTable = QualityRun.Read(training.Csv);
        var scoringTable = QualityRun.Read(scoring.Csv);
        var (model, _) = EnsembleTrainer.Train(trainingTable, new TrainingRequest
        {
            KeyColumns = training.KeyColumns,
            LabelColumn = SeedDatasets.LabelColumn,
            Seed = QualityRun.TrainingSeed,
        });
        var features = model.Pipeline.Transform(scoringTable);

        Console.Error.WriteLine("[onnx-perf] exporting and starting sessions");
        var clock = Stopwatch.StartNew();
        using var onnx = OnnxDetectorSet.Create(host, model);
        var sessionSeconds = clock.Elapsed.TotalSeconds;

        Console.Error.WriteLine("[onnx-perf] scoring");
        IAnomalyDetector?[] managed = [model.Statistical, model.Forest, model.Autoencoder];
        var lines = new List<(string Step, Timing Managed, Timing Onnx)>();
        foreach (var detector in managed.OfType<IAnomalyDetector>())
            lines.Add((detector.Name, Median(() => detector.Score(features)), Median(() => onnx.Detectors[detector.Name].Score(features))));
        var managedEnsemble = Median(() => model.Score(features));
        lines.Add(("ensemble, every detector on ONNX Runtime", managedEnsemble, Median(() => model.Score(features, onnx.Detectors))));
        var withoutForest = onnx.Detectors.Where(d => d.Key != IsolationForest.DetectorName).ToDictionary();
        lines.Add(("ensemble, isolation forest kept managed", managedEnsemble, Median(() => model.Score(features, withoutForest))));
        lines.Add(UnlabelledEnsemble(host, training.KeyColumns, trainingTable, scoringTable));

        Console.WriteLine($"# Scoring on ONNX Runtime ({host.Device!.Kind}) against the managed scorer, banking {rows:N0} rows, {features.Columns} features");
        Console.WriteLine();
        Console.WriteLine(QualityRun.Environment());
        Console.WriteLine($"ONNX Runtime {host.Version} ({host.Package}): {host.Device.Description}; export and session start {sessionSeconds:F2} s.");
        Console.WriteLine($"Median of {WarmRuns} warm runs on the feature matrix (the feature transform is the same for both and left out);");
        Console.WriteLine("CPU is the process CPU time of one run, all cores, median (what it costs without other load).");
        Console.WriteLine();
        Console.WriteLine("| Detector | Managed s | Managed CPU s | ONNX Runtime s | ONNX Runtime CPU s | ONNX / managed (wall) | ONNX / managed (CPU) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (step, m, o) in lines)
            Console.WriteLine($"| {step} | {m.Wall:F3} | {m.Cpu:F3} | {o.Wall:F3} | {o.Cpu:F3} | {o.Wall / m.Wall:F2}x | {o.Cpu / m.Cpu:F2}x |");
        Console.WriteLine();
    }

    /// <summary>
    /// The model the API trains for a dataset without labels (every detector weighted, the relations and co-occurrence
    /// detectors scored managed whatever the device): the whole ensemble from the raw table, transform included.
    /// </summary>
    private static (string Step, Timing Managed, Timing Onnx) UnlabelledEnsemble(OnnxRuntimeHost host, IReadOnlyList<string> keyColumns,
        TypedTable trainingTable, TypedTable scoringTable)
    {
        Console.Error.WriteLine("[onnx-perf] training without labels");
        var (model, _) = EnsembleTrainer.Train(PublicRun.Hide(trainingTable, SeedDatasets.LabelColumn),
            new TrainingRequest { KeyColumns = keyColumns, Seed = QualityRun.TrainingSeed });
        var scoring = PublicRun.Hide(scoringTable, SeedDatasets.LabelColumn);
        using var onnx = OnnxDetectorSet.Create(host, model);
        var detectors = string.Join(", ", model.DetectorNames);
        return ($"model trained without labels ({detectors}), from the table", Median(() => model.Score(scoring)),
            Median(() => model.Score(model.Pipeline.Transform(scoring), onnx.Detectors)));
    }

    private readonly record struct Timing(double Wall, double Cpu);

    private static Timing Median(Action score)
    {
        score();   // warm-up: JIT, lazy tables, ONNX Runtime's first-run allocations
        var wall = new double[WarmRuns];
        var cpu = new double[WarmRuns];
        using var process = Process.GetCurrentProcess();
        for (var run = 0; run < WarmRuns; run++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            score();
            wall[run] = clock.Elapsed.TotalSeconds;
            process.Refresh();
            cpu[run] = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        }
        Array.Sort(wall);
        Array.Sort(cpu);
        return new Timing(wall[WarmRuns / 2], cpu[WarmRuns / 2]);
    }
}
