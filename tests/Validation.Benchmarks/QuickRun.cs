using System.Diagnostics;
using System.Globalization;
using Vigil.Tabular.Tables;

namespace Vigil.Validation.Benchmarks;

/// <summary>
/// <c>--quick [--rows N] [--format csv|json|ndjson] [--wide COLUMNS] [--repeat N] [--threads N] [--csv-only]</c>: generates a batch into a
/// temporary file, then reads it in a fresh child process, so that the memory figures are not blurred by what
/// generating left behind. The child loads the file into one byte array, reads it once from a MemoryStream, and prints the time (wall and CPU), the peak memory the read needed (working set above what the
/// process held just before, the raw bytes included in that baseline), GC allocations and the size of the table
/// kept, each next to the raw size. Further repeats print their times only. <c>--csv-only</c> times the CSV record
/// reader alone over the same bytes, the floor under a CSV read.
/// </summary>
public static class QuickRun
{
    private const string MeasureOption = "--measure-file";

    public static int Run(string[] args)
    {
        if (Option(args, MeasureOption) is { } file)
            return Measure(file, Option(args, "--media-type")!, IntOption(args, "--repeat", 1), args.Contains("--csv-only"),
                Option(args, "--threads") is { } threads ? int.Parse(threads, CultureInfo.InvariantCulture) : null);

        var rows = IntOption(args, "--rows", 1_000_000);
        var format = Option(args, "--format") ?? "csv";
        var wide = IntOption(args, "--wide", 0);

        var generating = Stopwatch.StartNew();
        var (data, mediaType) = (format, wide) switch
        {
            ("csv", > 0) => (SyntheticBatches.WideCsv(rows, wide, seed: 42), TableReader.CsvMediaType),
            ("csv", _) => (SyntheticBatches.TransactionsCsv(rows, seed: 42), TableReader.CsvMediaType),
            ("json", _) => (SyntheticBatches.TransactionsJson(rows, seed: 42), TableReader.JsonMediaType),
            ("ndjson", _) => (SyntheticBatches.TransactionsNdjson(rows, seed: 42), TableReader.NdjsonMediaType),
            _ => throw new ArgumentException($"Unknown format '{format}': csv, json or ndjson."),
        };
        var path = Path.Combine(Path.GetTempPath(), $"vigil-quick-{Environment.ProcessId}.{format}");
        File.WriteAllBytes(path, data);
        Console.WriteLine($"batch: {rows:N0} rows, {mediaType}{(wide > 0 ? $", {wide} columns" : "")}, raw {Mb(data.Length)} (generated in {generating.ElapsedMilliseconds} ms)");

        try
        {
            using var child = Process.Start(ChildStart(path, mediaType, args)) ?? throw new InvalidOperationException("The measuring process did not start.");
            child.WaitForExit();
            return child.ExitCode;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>This same program, run again with the measuring option; output goes to this console.</summary>
    private static ProcessStartInfo ChildStart(string path, string mediaType, string[] args)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The process path is unknown.");
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") start.ArgumentList.Add(typeof(QuickRun).Assembly.Location);
        foreach (var arg in (string[])["--quick", MeasureOption, path, "--media-type", mediaType, "--repeat", Option(args, "--repeat") ?? "1"])
        {
            start.ArgumentList.Add(arg);
        }
        if (args.Contains("--csv-only")) start.ArgumentList.Add("--csv-only");
        if (Option(args, "--threads") is { } threads)
        {
            start.ArgumentList.Add("--threads");
            start.ArgumentList.Add(threads);
        }
        return start;
    }

    private static int Measure(string path, string mediaType, int repeat, bool csvOnly, int? threads)
    {
        var data = File.ReadAllBytes(path);
        if (csvOnly) return MeasureCsvOnly(data, repeat);
        var options = new TableReadOptions { BuildThreads = threads };
        Console.WriteLine($"runtime: .NET {Environment.Version}, {Environment.ProcessorCount} cores, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC"
            + $", build threads {threads?.ToString(CultureInfo.InvariantCulture) ?? "default"}");

        for (var run = 1; run <= repeat; run++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var baseline = WorkingSet();
            var canResetPeak = ResetPeakWorkingSet();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var kernelBefore = Process.GetCurrentProcess().PrivilegedProcessorTime;
            var pausedBefore = GC.GetTotalPauseDuration();

            // The kernel keeps the peak (VmHWM) exactly and for free; sampling is the fallback, and it costs CPU.
            using var sampler = canResetPeak ? null : new PeakSampler();
            var stopwatch = Stopwatch.StartNew();
            var table = TableReader.Read(new MemoryStream(data, writable: false), mediaType, options);
            stopwatch.Stop();
            var sampledPeak = sampler?.Stop() ?? 0;

            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var kernel = Process.GetCurrentProcess().PrivilegedProcessorTime - kernelBefore;
            var paused = GC.GetTotalPauseDuration() - pausedBefore;
            var peak = Math.Max(sampledPeak, canResetPeak ? PeakWorkingSet() : 0);
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            var retained = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;

            Console.WriteLine($"run {run}: read {table.RowCount:N0} rows x {table.Columns.Count} columns in {stopwatch.ElapsedMilliseconds} ms"
                + $" (process CPU {cpu.TotalMilliseconds:F0} ms of which kernel {kernel.TotalMilliseconds:F0} ms, GC pauses {paused.TotalMilliseconds:F0} ms)");
            if (run == 1)
            {
                Console.WriteLine($"  types: {string.Join(", ", table.Columns.Select(c => $"{c.Name}={c.Type}"))}");
                Console.WriteLine($"  raw batch: {Mb(data.Length)}");
                Console.WriteLine($"  peak working set above baseline: {Mb(peak - baseline)} = {Ratio(peak - baseline, data.Length)} x raw"
                    + $" (baseline {Mb(baseline)} includes the raw bytes; peak {Mb(peak)}, {(canResetPeak ? "VmHWM" : "10 ms sampling")})");
                Console.WriteLine($"  GC allocated during the read: {Mb(allocated)} = {Ratio(allocated, data.Length)} x raw");
                Console.WriteLine($"  table retained on the heap: {Mb(retained)} = {Ratio(retained, data.Length)} x raw");
            }
            GC.KeepAlive(table);
        }
        return 0;
    }

    /// <summary>The floor under a CSV read: <see cref="Parsing.CsvRecordReader"/> going through every record, no columns built.</summary>
    private static int MeasureCsvOnly(byte[] data, int repeat)
    {
        for (var run = 1; run <= repeat; run++)
        {
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var stopwatch = Stopwatch.StartNew();
            var (columns, rows) = Vigil.Tabular.Parsing.CsvBatchSummary.Summarize(new MemoryStream(data, writable: false));
            stopwatch.Stop();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            Console.WriteLine($"run {run}: CSV records only (CsvBatchSummary): {rows:N0} rows x {columns.Count} columns in {stopwatch.ElapsedMilliseconds} ms (process CPU {cpu.TotalMilliseconds:F0} ms)");
        }
        return 0;
    }

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture) + " MiB";

    private static string Ratio(long bytes, long raw) => ((double)bytes / raw).ToString("F2", CultureInfo.InvariantCulture);

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static int IntOption(string[] args, string name, int fallback) =>
        Option(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static long WorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    /// <summary>Linux: writing 5 to clear_refs resets the peak resident set size (VmHWM) to the current one.</summary>
    private static bool ResetPeakWorkingSet()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }

    /// <summary>Samples the working set every 10 ms on its own thread and keeps the largest value.</summary>
    private sealed class PeakSampler : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stop;
        private long _peak;

        public PeakSampler()
        {
            _peak = WorkingSet();
            _thread = new Thread(() =>
            {
                using var process = Process.GetCurrentProcess();
                while (!_stop)
                {
                    process.Refresh();
                    Interlocked.Exchange(ref _peak, Math.Max(Interlocked.Read(ref _peak), process.WorkingSet64));
                    Thread.Sleep(10);
                }
            })
            { IsBackground = true };
            _thread.Start();
        }

        public long Stop()
        {
            _stop = true;
            _thread.Join();
            return Math.Max(Interlocked.Read(ref _peak), WorkingSet());
        }

        public void Dispose()
        {
            if (!_stop) Stop();
        }
    }
}
