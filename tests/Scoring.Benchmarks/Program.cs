using Vigil.Scoring.Benchmarks;

// Detection quality and speed of the Scoring ensemble on the seed datasets; Markdown on stdout, progress on stderr.
//   --quality [--scale S]   train on a batch (seed 1), score a separate one (seed 2), per detector and ensemble
//   --perf [--rows N]       train and score N banking rows (default 600,000)
//   --plumbing [--rows N]   the Scoring stage's steps on one batch (read CSV or columnar spill, features, score, drift, reports)
//   --reports [--rows N]    the reports step alone: scores.csv (one thread and parallel blocks) and anomalies.csv, median of 5
//   --memory [--rows N] [--whole-batch | --no-model]  the Scoring stage's resident memory step by step (run with DOTNET_gcServer=1, as the service runs);
//                           --no-model: scored by the fallback for a dataset without a model
//   --onnx-perf [--rows N]  the same ensemble scored by the managed scorer and by ONNX Runtime (CPU), per detector
//   --devices [--rows N]    the device report (as GET /api/system/devices) and a batch scored there, against the managed scorer
//   --device auto|cpu|cuda  where ONNX Runtime runs for --onnx-perf (default cpu) and --devices (default auto)
//   --export-seeds DIR [--scale S]  write the seed datasets (seed 1, with their label column) as CSV into DIR
//   --public DIR            unsupervised quality on every CSV in DIR with a label column (label hidden from training)
//   --combinations DIR      the same trained detectors combined by other rules, ROC-AUC against the isolation forest's
var options = BenchmarkArguments.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("Usage: --quality [--scale 1.0] | --perf [--rows 600000] | --plumbing [--rows 600000] | --reports [--rows 600000] | --memory [--rows 600000] [--whole-batch | --no-model] | --onnx-perf [--rows 600000] [--device cpu] | --devices [--rows 20000] [--device auto] | --export-seeds DIR [--scale 1.0] | --public DIR | --combinations DIR");
    return 2;
}
if (options.Quality) QualityRun.Run(options.Scale);
if (options.Perf) PerfRun.Run(options.Rows);
if (options.Plumbing) PlumbingRun.Run(options.Rows);
if (options.Reports) ReportsRun.Run(options.Rows);
if (options.Memory) MemoryRun.Run(options.Rows, options.WholeBatch, options.NoModel);
if (options.OnnxPerf) OnnxPerfRun.Run(options.Rows, Vigil.Scoring.Onnx.Runtime.ScoringDevice.Parse(options.Device ?? "cpu"));
if (options.ExportFolder is { } export)
{
    Directory.CreateDirectory(export);
    foreach (var name in SeedDatasets.Names)
        File.WriteAllBytes(Path.Combine(export, $"{name}.csv"), SeedDatasets.Generate(name, options.Scale, QualityRun.TrainingSeed).Csv);
}
if (options.PublicFolder is { } folder) PublicRun.Run(folder);
if (options.CombinationsFolder is { } combinations) CombinationRun.Run(combinations);
if (options.Devices) return DeviceCheck.Run(options.Rows == SeedDatasets.BankingRows ? 20_000 : options.Rows, Vigil.Scoring.Onnx.Runtime.ScoringDevice.Parse(options.Device ?? "auto"));
return 0;
