using System.Globalization;

namespace Vigil.Scoring.Benchmarks;

/// <summary>
/// The command line: <c>--quality [--scale S]</c>, <c>--perf [--rows N]</c>, <c>--onnx-perf [--rows N]</c>, <c>--plumbing [--rows N]</c>, <c>--reports [--rows N]</c>,
/// <c>--devices</c>, <c>--export-seeds DIR [--scale S]</c>, <c>--public DIR</c>, <c>--combinations DIR</c>; <c>--device auto|cpu|cuda</c> says where
/// ONNX Runtime runs (default cpu for --onnx-perf, auto for --devices).
/// </summary>
internal sealed record BenchmarkArguments(bool Quality, bool Perf, double Scale, int Rows, bool OnnxPerf = false, bool Devices = false, string? Device = null, bool Plumbing = false)
{
    /// <summary>The reports step alone (<c>--reports</c>).</summary>
    public bool Reports { get; init; }

    /// <summary>Where the Scoring stage's memory goes (<c>--memory</c>).</summary>
    public bool Memory { get; init; }

    /// <summary>With <c>--memory</c>: score the whole batch at once instead of in chunks (<c>--whole-batch</c>).</summary>
    public bool WholeBatch { get; init; }

    /// <summary>With <c>--memory</c>: score the batch as a dataset without a model does, by the fallback fitted on the batch itself (<c>--no-model</c>).</summary>
    public bool NoModel { get; init; }

    /// <summary>A folder of labelled CSVs to measure on (<c>--public</c>).</summary>
    public string? PublicFolder { get; init; }

    /// <summary>A folder of labelled CSVs on which to compare combination rules (<c>--combinations</c>).</summary>
    public string? CombinationsFolder { get; init; }

    /// <summary>A folder to write the seed datasets into as CSV at the given scale (<c>--export-seeds</c>).</summary>
    public string? ExportFolder { get; init; }

    public static BenchmarkArguments? Parse(string[] args)
    {
        bool quality = false, perf = false, onnxPerf = false, devices = false, plumbing = false, reports = false, memory = false, wholeBatch = false, noModel = false;
        string? device = null, publicFolder = null, exportFolder = null, combinationsFolder = null;
        var scale = 1.0;
        var rows = SeedDatasets.BankingRows;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quality": quality = true; break;
                case "--perf": perf = true; break;
                case "--plumbing": plumbing = true; break;
                case "--reports": reports = true; break;
                case "--memory": memory = true; break;
                case "--whole-batch": wholeBatch = true; break;
                case "--no-model": noModel = true; break;
                case "--onnx-perf": onnxPerf = true; break;
                case "--devices": devices = true; break;
                case "--device" when i + 1 < args.Length && args[i + 1] is "auto" or "cpu" or "cuda": device = args[++i]; break;
                case "--public" when i + 1 < args.Length: publicFolder = args[++i]; break;
                case "--combinations" when i + 1 < args.Length: combinationsFolder = args[++i]; break;
                case "--export-seeds" when i + 1 < args.Length: exportFolder = args[++i]; break;
                case "--scale" when i + 1 < args.Length && double.TryParse(args[i + 1], CultureInfo.InvariantCulture, out scale) && scale > 0: i++; break;
                case "--rows" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out rows) && rows >= 1_000: i++; break;
                default: return null;
            }
        }
        return quality || perf || onnxPerf || devices || plumbing || reports || memory || publicFolder is not null || exportFolder is not null || combinationsFolder is not null
            ? new BenchmarkArguments(quality, perf, scale, rows, onnxPerf, devices, device, plumbing)
            {
                PublicFolder = publicFolder, ExportFolder = exportFolder, CombinationsFolder = combinationsFolder, Reports = reports, Memory = memory, WholeBatch = wholeBatch, NoModel = noModel,
            }
            : null;
    }
}
