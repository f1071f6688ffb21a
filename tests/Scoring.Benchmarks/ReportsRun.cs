using System.Diagnostics;
using System.Security.Cryptography;
using Vigil.Contracts;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Reports;
using Vigil.Scoring.Storage;

namespace Vigil.Scoring.Benchmarks;

/// <summary>
/// The reports step alone (issue 16): <c>scores.csv</c> for N scored banking rows written to a null stream on one thread
/// and in parallel blocks as the service writes it, and the anomaly report of the same rows. Median of five runs after a
/// warm-up, wall and process CPU time and managed allocations, with the bytes written and their SHA-256, so that a faster
/// writer can be compared with the one before it (the bytes must not change).
/// </summary>
public static class ReportsRun
{
    private const int Runs = 5;

    public static void Run(int rows)
    {
        var trainingRows = Math.Min(rows, 20_000);
        Console.Error.WriteLine($"[reports] training on {trainingRows:N0} banking rows; scoring {rows:N0}");
        var keyColumns = SeedDatasets.Banking(1_000, 1).KeyColumns;
        var (model, _) = EnsembleTrainer.Train(QualityRun.Read(SeedDatasets.Banking(trainingRows, QualityRun.TrainingSeed).Csv),
            new TrainingRequest { KeyColumns = keyColumns, Seed = QualityRun.TrainingSeed });
        var table = QualityRun.Read(SeedDatasets.Banking(rows, QualityRun.EvaluationSeed).Csv);
        var scores = model.Score(table);
        var keys = keyColumns.Where(table.HasColumn).Select(name => table[name]).ToArray();
        // The anomaly records as BatchScorer builds them.
        var anomalies = Enumerable.Range(0, table.RowCount).Where(row => scores.Decision(row) != Decisions.Approve)
            .Select(row => new AnomalyRecord(row + 1, 1, keys.ToDictionary(k => k.Name, k => k.IsNull(row) ? null : k.GetText(row)),
                scores.Risk[row], scores.Decision(row), scores.TopFeatures(row)))
            .ToList();

        var steps = new (string Step, Func<long> Action)[]
        {
            ("scores.csv, one thread, to a null stream", () =>
            {
                using var counted = new CountingStream();
                ScoresReport.Write(counted, table, keyColumns, scores);
                return counted.Length;
            }),
            ("scores.csv, parallel blocks (as the service)", () =>
            {
                long bytes = 0;
                ScoresReport.WriteAsync(block => { bytes += block.Length; return Task.CompletedTask; }, table, keyColumns, scores,
                    Math.Max(2, Environment.ProcessorCount), CancellationToken.None).GetAwaiter().GetResult();
                return bytes;
            }),
            ($"anomalies.csv ({anomalies.Count:N0} records)", () => AnomalyReport.Utf8(anomalies, keyColumns).Length),
        };

        var wall = steps.ToDictionary(s => s.Step, _ => new List<double>());
        var cpu = steps.ToDictionary(s => s.Step, _ => new List<double>());
        var allocated = steps.ToDictionary(s => s.Step, _ => new List<double>());
        var written = new Dictionary<string, long>();
        for (var run = 0; run <= Runs; run++)
        {
            foreach (var (step, action) in steps)
            {
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                var clock = Stopwatch.StartNew();
                written[step] = action();
                if (run == 0) continue; // the first run warms up (JIT, tiering)
                wall[step].Add(clock.Elapsed.TotalSeconds);
                cpu[step].Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds);
                allocated[step].Add((GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1048576.0);
            }
        }

        // What the bytes are, so that a run before a change and one after it can be compared.
        using var whole = new MemoryStream();
        ScoresReport.Write(whole, table, keyColumns, scores);
        var scoresHash = Convert.ToHexStringLower(SHA256.HashData(whole.GetBuffer().AsSpan(0, (int)whole.Length)));
        var anomaliesHash = Convert.ToHexStringLower(SHA256.HashData(AnomalyReport.Utf8(anomalies, keyColumns)));

        Console.WriteLine($"# Scoring reports: banking {rows:N0} rows x {scores.DetectorEvidence.Count} detectors' evidence");
        Console.WriteLine();
        Console.WriteLine(QualityRun.Environment());
        Console.WriteLine($"| step | bytes | wall, median of {Runs} | CPU time, median of {Runs} | managed allocations |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (step, _) in steps)
            Console.WriteLine($"| {step} | {written[step]:N0} | {Median(wall[step]):F3} s | {Median(cpu[step]):F3} s | {Median(allocated[step]):F0} MiB |");
        Console.WriteLine();
        Console.WriteLine($"SHA-256 of scores.csv {scoresHash}, of anomalies.csv {anomaliesHash}.");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>A null stream that counts what it is given.</summary>
    private sealed class CountingStream : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Position;
        public override long Position { get; set; }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Position += count;
        public override void Write(ReadOnlySpan<byte> buffer) => Position += buffer.Length;
    }
}
