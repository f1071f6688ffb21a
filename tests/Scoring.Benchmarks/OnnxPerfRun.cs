using System.Diagnostics;
using Vigil.Scoring.Detectors;
using Vigil.Scoring.Detectors.Forest;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Onnx.Runtime;
using Vigil.Scoring.Onnx.Scoring;

namespace Vigil.Scoring.Benchmarks;

/// <summary>
/// The managed scorer against ONNX Runtime (CPU) on the same trained ensemble and the same N banking rows: each detector
/// and the whole ensemble score on the feature matrix, warm, the median of several runs, and the ratio ONNX / managed.
/// The library comes from VIGIL_ONNXRUNTIME_LIBRARY, else the repository's cache (scripts/fetch-onnxruntime).
/// </summary>
public static class OnnxPerfRun
{
    private const int WarmRuns = 5;

    public static void Run(int rows)
    {
        var library = LibraryPath();
        using var host = new OnnxRuntimeHost(library, DeviceRequest.Cpu);
        if (!host.IsAvailable) throw new InvalidOperationException($"ONNX Runtime is not available: {host.FailureReason}");

        Console.Error.WriteLine($"[onnx-perf] generating and training on {rows:N0} banking rows");
        var training = SeedDatasets.Banking(rows, QualityRun.TrainingSeed);
        var scoring = SeedDatasets.Banking(rows, QualityRun.EvaluationSeed);
        var (model, _) = EnsembleTrainer.Train(QualityRun.Read(training.Csv), new TrainingRequest
        {
            KeyColumns = training.KeyColumns,
            LabelColumn = SeedDatasets.LabelColumn,
            Seed = QualityRun.TrainingSeed,
        });
        var features = model.Pipeline.Transform(QualityRun.Read(scoring.Csv));

        Console.Error.WriteLine("[onnx-perf] exporting and starting sessions");
        var clock = Stopwatch.StartNew();
        using var onnx = OnnxDetectorSet.Create(host, model);
        var sessionSeconds = clock.Elapsed.TotalSeconds;

        Console.Error.WriteLine("[onnx-perf] scoring");
        IAnomalyDetector?[] managed = [model.Statistical, model.Forest, model.Autoencoder];
        var lines = new List<(string Step, double Managed, double Onnx)>();
        foreach (var detector in managed.OfType<IAnomalyDetector>())
            lines.Add((detector.Name, Median(() => detector.Score(features)), Median(() => onnx.Detectors[detector.Name].Score(features))));
        var managedEnsemble = Median(() => model.Score(features));
        lines.Add(("ensemble, every detector on ONNX Runtime", managedEnsemble, Median(() => model.Score(features, onnx.Detectors))));
        var withoutForest = onnx.Detectors.Where(d => d.Key != IsolationForest.DetectorName).ToDictionary();
        lines.Add(("ensemble, isolation forest kept managed", managedEnsemble, Median(() => model.Score(features, withoutForest))));

        Console.WriteLine($"# Scoring on ONNX Runtime (CPU) against the managed scorer, banking {rows:N0} rows, {features.Columns} features");
        Console.WriteLine();
        Console.WriteLine(QualityRun.Environment());
        Console.WriteLine($"ONNX Runtime {host.Version}: {host.Device!.Description}; export and session start {sessionSeconds:F2} s.");
        Console.WriteLine($"Median of {WarmRuns} warm runs on the feature matrix (the feature transform is the same for both and left out).");
        Console.WriteLine();
        Console.WriteLine("| Detector | Managed s | ONNX Runtime s | ONNX / managed |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (step, managedSeconds, onnxSeconds) in lines)
            Console.WriteLine($"| {step} | {managedSeconds:F3} | {onnxSeconds:F3} | {onnxSeconds / managedSeconds:F2}x |");
        Console.WriteLine();
    }

    private static double Median(Action score)
    {
        score();   // warm-up: JIT, lazy tables, ONNX Runtime's first-run allocations
        var seconds = new double[WarmRuns];
        for (var run = 0; run < WarmRuns; run++)
        {
            var clock = Stopwatch.StartNew();
            score();
            seconds[run] = clock.Elapsed.TotalSeconds;
        }
        Array.Sort(seconds);
        return seconds[WarmRuns / 2];
    }

    private static string LibraryPath()
    {
        var configured = Environment.GetEnvironmentVariable("VIGIL_ONNXRUNTIME_LIBRARY");
        if (!string.IsNullOrWhiteSpace(configured)) return configured;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Aspire.sln")))
                return Path.Combine(dir.FullName, ".vigil", "cache", "onnxruntime", "1.30.0", "libonnxruntime.so.1");
        throw new InvalidOperationException("Set VIGIL_ONNXRUNTIME_LIBRARY, or run from the repository after scripts/fetch-onnxruntime.");
    }
}
