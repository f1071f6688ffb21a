using Vigil.Scoring.Benchmarks;

// Detection quality and speed of the Scoring ensemble on the seed datasets; Markdown on stdout, progress on stderr.
//   --quality [--scale S]   train on a batch (seed 1), score a separate one (seed 2), per detector and ensemble
//   --perf [--rows N]       train and score N banking rows (default 600,000)
//   --onnx-perf [--rows N]  the same ensemble scored by the managed scorer and by ONNX Runtime (CPU), per detector
var options = BenchmarkArguments.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("Usage: --quality [--scale 1.0] | --perf [--rows 600000] | --onnx-perf [--rows 600000]");
    return 2;
}
if (options.Quality) QualityRun.Run(options.Scale);
if (options.Perf) PerfRun.Run(options.Rows);
if (options.OnnxPerf) OnnxPerfRun.Run(options.Rows);
return 0;
