using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Onnx.Runtime;
using Vigil.Scoring.Onnx.Scoring;
using Vigil.Scoring.Reports;
using Vigil.Tabular.Spill;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Benchmarks;

/// <summary>
/// Where the Scoring stage's memory goes on one batch: the stage's steps as the service runs them (the columnar spill
/// read from a file, features, the ensemble with the statistical and autoencoder graphs on ONNX Runtime, drift, the
/// anomaly records, scores.csv into a sink that drops it; <c>--whole-batch</c>: features, ensemble and drift over the
/// whole batch at once, as before the score stage went through it in chunks; <c>--no-model</c>: no model, the batch is
/// scored by <see cref="BatchFallbackScorer"/>), with the process's resident memory sampled every few
/// milliseconds, so each step's high-water mark and the managed heap after it are known. Run it with the service's
/// collector (<c>DOTNET_gcServer=1</c>) for figures that carry over to the service.
/// </summary>
public static class MemoryRun
{
    private const int Runs = 3;

    public static void Run(int rows, bool wholeBatch, bool noModel)
    {
        if (noModel)
        {
            RunWithoutModel(rows);
            return;
        }
        var trainingRows = Math.Min(rows, 100_000);
        Console.Error.WriteLine($"[memory] training on {trainingRows:N0} banking rows; spilling {rows:N0}");
        var (model, _) = EnsembleTrainer.Train(QualityRun.Read(SeedDatasets.Banking(trainingRows, QualityRun.TrainingSeed).Csv),
            new TrainingRequest { KeyColumns = SeedDatasets.Banking(1_000, 1).KeyColumns, Seed = QualityRun.TrainingSeed });
        var keyColumns = SeedDatasets.Banking(1_000, 1).KeyColumns;
        var origin = new SpillOrigin("raw/bench/run.csv", TableReader.CsvMediaType, ',');
        var spillPath = Path.Combine(Path.GetTempPath(), $"vigil-memory-{Environment.ProcessId}.spill");
        WriteSpill(SeedDatasets.Banking(rows, QualityRun.EvaluationSeed).Csv, spillPath, origin);
        var host = new OnnxRuntimeHost(DeviceRequest.Cpu);
        using var onnx = OnnxDetectorSet.Create(host, model, only: new HashSet<string>(["statistical", "autoencoder"]));

        try
        {
            var how = wholeBatch ? "the whole batch at once (before issue 16's chunks)" : $"in chunks of {ChunkedScorer.DefaultChunkRows:N0} rows";
            Measure($"banking {rows:N0} rows scored {how}, model trained on {trainingRows:N0}, statistical and autoencoder on ONNX Runtime",
                spillPath, origin, keyColumns, (sampler, table) =>
                {
                    EnsembleScores scores = null!;
                    IReadOnlyDictionary<string, double> drift = null!;
                    if (wholeBatch)
                    {
                        Features.FeatureMatrix? features = null;
                        sampler.Step("features", () => features = model.Pipeline.Transform(table));
                        sampler.Step("ensemble", () => scores = model.Score(features!, onnx.Detectors));
                        sampler.Step("drift", () => drift = model.Reference!.Psi(features!));
                    }
                    else
                    {
                        sampler.Step("features, ensemble and drift in chunks", () => (scores, drift) = ChunkedScorer.Score(model, table, onnx.Detectors));
                    }
                    GC.KeepAlive(drift);
                    return scores;
                });
            if (!wholeBatch) CompareWithWholeBatch(model, ReadSpill(spillPath, origin), onnx);
        }
        finally
        {
            File.Delete(spillPath);
        }
    }

    /// <summary>The same steps for a dataset without a model: the batch is scored by <see cref="BatchFallbackScorer"/>.</summary>
    private static void RunWithoutModel(int rows)
    {
        var keyColumns = SeedDatasets.Banking(1_000, 1).KeyColumns;
        var origin = new SpillOrigin("raw/bench/run.csv", TableReader.CsvMediaType, ',');
        var spillPath = Path.Combine(Path.GetTempPath(), $"vigil-memory-{Environment.ProcessId}.spill");
        Console.Error.WriteLine($"[memory] no model; spilling {rows:N0} banking rows");
        WriteSpill(SeedDatasets.Banking(rows, QualityRun.EvaluationSeed).Csv, spillPath, origin);
        try
        {
            Measure($"banking {rows:N0} rows without a model, scored by the fallback fitted on the batch itself", spillPath, origin, keyColumns,
                (sampler, table) =>
                {
                    EnsembleScores scores = null!;
                    sampler.Step("fallback scoring", () => scores = BatchFallbackScorer.Score(table, keyColumns).Scores);
                    Console.Error.WriteLine($"[memory] fallback scores' checksum {Checksum(scores, table.RowCount)}");
                    return scores;
                });
        }
        finally
        {
            File.Delete(spillPath);
        }
    }

    /// <summary>
    /// A hash of every row's risk, evidence and top columns, to the bit: a change that must not move the fallback's
    /// scores leaves it as it was.
    /// </summary>
    private static string Checksum(EnsembleScores scores, int rows)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> bits = stackalloc byte[16];
        for (var row = 0; row < rows; row++)
        {
            BitConverter.TryWriteBytes(bits, BitConverter.DoubleToInt64Bits(scores.Risk[row]));
            BitConverter.TryWriteBytes(bits[8..], BitConverter.DoubleToInt64Bits(scores.Evidence[row]));
            hash.AppendData(bits);
            hash.AppendData(Encoding.UTF8.GetBytes(string.Join(' ', scores.TopFeatures(row)) + "\n"));
        }
        return Convert.ToHexString(hash.GetHashAndReset())[..16];
    }

    /// <summary>Runs the stage <see cref="Runs"/> times, <paramref name="score"/> sampling its own steps, and prints each step's peak.</summary>
    private static void Measure(string title, string spillPath, SpillOrigin origin, IReadOnlyList<string> keyColumns,
        Func<ResidentSampler, TypedTable, EnsembleScores> score)
    {
        using var sampler = new ResidentSampler();
        Console.WriteLine($"# Scoring stage memory: {title}");
        Console.WriteLine();
        Console.WriteLine(QualityRun.Environment());
        for (var run = 1; run <= Runs; run++)
        {
            Release();
            sampler.ResetPeak();
            Console.WriteLine();
            Console.WriteLine($"Run {run}, resident at the start {ResidentSampler.CurrentMiB():F0} MiB:");
            Console.WriteLine();
            Console.WriteLine("| step | resident at its peak | managed heap after | CPU time | wall time |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            TypedTable table = null!;
            sampler.Step("read spill", () => table = ReadSpill(spillPath, origin));
            var scores = score(sampler, table);
            sampler.Step("anomaly records", () => Enumerable.Range(0, table.RowCount).Where(r => scores.Decision(r) != "approve")
                .Select(r => scores.TopFeatures(r)).ToList());
            sampler.Step("scores.csv", () => ScoresReport.WriteAsync(_ => Task.CompletedTask, table, keyColumns, scores,
                Math.Max(2, Environment.ProcessorCount), CancellationToken.None).GetAwaiter().GetResult());
            Console.WriteLine($"| whole stage (VmHWM) | {ResidentSampler.PeakMiB():F0} MiB | | | |");
        }
    }

    /// <summary>How far the chunked scores are from the whole batch's, on ONNX Runtime (whose runs then have fewer rows).</summary>
    private static void CompareWithWholeBatch(EnsembleModel model, TypedTable table, OnnxDetectorSet onnx)
    {
        var features = model.Pipeline.Transform(table);
        var whole = model.Score(features, onnx.Detectors);
        var wholeDrift = model.Reference!.Psi(features);
        var (chunked, drift) = ChunkedScorer.Score(model, table, onnx.Detectors);
        var rows = Enumerable.Range(0, table.RowCount).ToArray();
        var riskDiffers = rows.Count(r => whole.Risk[r] != chunked.Risk[r]);
        var maxRisk = rows.Max(r => Math.Abs(whole.Risk[r] - chunked.Risk[r]));
        var maxEvidence = rows.Max(r => Math.Abs(whole.Evidence[r] - chunked.Evidence[r]));
        var decisions = rows.Count(r => whole.Decision(r) != chunked.Decision(r));
        var top = rows.Count(r => !whole.TopFeatures(r).SequenceEqual(chunked.TopFeatures(r)));
        var driftSame = wholeDrift.Count == drift.Count && wholeDrift.All(p => drift[p.Key] == p.Value);
        Console.WriteLine();
        Console.WriteLine($"Chunked against the whole batch on ONNX Runtime: risk differs in {riskDiffers:N0} of {rows.Length:N0} rows (at most {maxRisk:G3}), " +
            $"evidence by at most {maxEvidence:G3} nats; decisions differ in {decisions:N0} rows, top features in {top:N0}; drift {(driftSame ? "identical" : "differs")}.");
    }

    private static void WriteSpill(byte[] csv, string path, SpillOrigin origin)
    {
        using var file = File.Create(path);
        TableSpill.Write(file, QualityRun.Read(csv), origin);
    }

    private static TypedTable ReadSpill(string path, SpillOrigin origin)
    {
        using var file = File.OpenRead(path);
        return TableSpill.Read(file, file.Length, origin);
    }

    private static void Release() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    /// <summary>Samples the resident set every 2 ms; each step reports the highest sample while it ran.</summary>
    private sealed class ResidentSampler : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stopped;
        private long _stepPeakKiB;

        public ResidentSampler()
        {
            _thread = new Thread(Sample) { IsBackground = true };
            _thread.Start();
        }

        public void Step(string name, Action action)
        {
            Interlocked.Exchange(ref _stepPeakKiB, CurrentKiB());
            var cpu = Environment.CpuUsage.TotalTime;
            var wall = Stopwatch.StartNew();
            action();
            var peak = Math.Max(Interlocked.Read(ref _stepPeakKiB), CurrentKiB());
            Console.WriteLine($"| {name} | {peak / 1024.0:F0} MiB | {GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0:F0} MiB | " +
                $"{(Environment.CpuUsage.TotalTime - cpu).TotalSeconds:F2} s | {wall.Elapsed.TotalSeconds:F2} s |");
        }

        /// <summary>Resets the kernel's high-water mark (VmHWM) to the current resident set.</summary>
        public void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

        public static double CurrentMiB() => CurrentKiB() / 1024.0;

        public static double PeakMiB() => StatusKiB("VmHWM:") / 1024.0;

        private static long CurrentKiB() => StatusKiB("VmRSS:");

        private static long StatusKiB(string field) =>
            File.ReadLines("/proc/self/status").Where(l => l.StartsWith(field, StringComparison.Ordinal))
                .Select(l => long.Parse(l[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)).First();

        private void Sample()
        {
            while (!_stopped)
            {
                var now = CurrentKiB();
                long seen;
                do seen = Interlocked.Read(ref _stepPeakKiB);
                while (now > seen && Interlocked.CompareExchange(ref _stepPeakKiB, now, seen) != seen);
                Thread.Sleep(2);
            }
        }

        public void Dispose()
        {
            _stopped = true;
            _thread.Join();
        }
    }
}
