using System.Diagnostics;
using System.Text.Json;
using Vigil.Scoring.Detectors;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Onnx.Runtime;
using Vigil.Scoring.Onnx.Scoring;

namespace Vigil.Scoring.Benchmarks;

/// <summary>
/// Proves where ONNX Runtime scores on this machine: prints the device report (what GET /api/system/devices says), then
/// trains on N banking rows, exports every detector, scores a second batch on the settled device and compares each
/// detector with the managed scorer (within 1e-4, relative above 1). Exit 0 when the requested device ran and every
/// detector agrees; 1 otherwise, with the reason (e.g. --device cuda where CUDA cannot start).
/// </summary>
public static class DeviceCheck
{
    private const double Tolerance = 1e-4;

    public static int Run(int rows, DeviceRequest device)
    {
        var host = new OnnxRuntimeHost(device);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            requested = device.ToString().ToLowerInvariant(),
            available = host.IsAvailable,
            package = host.Package,
            version = host.Version,
            providers = host.AvailableProviders,
            device = host.Device?.Description,
            gpuName = host.Device?.GpuName,
            gpuMemoryMiB = host.Device?.GpuMemoryMiB,
            fallbackReason = host.Device?.FallbackReason,
            failureReason = host.FailureReason,
        }, new JsonSerializerOptions { WriteIndented = true }));
        if (!host.IsAvailable)
        {
            Console.WriteLine($"FAIL: ONNX Runtime is not available: {host.FailureReason}");
            return 1;
        }

        var training = SeedDatasets.Banking(rows, QualityRun.TrainingSeed);
        var scoring = SeedDatasets.Banking(rows, QualityRun.EvaluationSeed);
        var (model, _) = EnsembleTrainer.Train(QualityRun.Read(training.Csv), new TrainingRequest
        {
            KeyColumns = training.KeyColumns,
            LabelColumn = SeedDatasets.LabelColumn,
            Seed = QualityRun.TrainingSeed,
        });
        var features = model.Pipeline.Transform(QualityRun.Read(scoring.Csv));
        using var onnx = OnnxDetectorSet.Create(host, model, only: null);
        Console.WriteLine($"Scoring {features.Rows:N0} rows x {features.Columns} features on {onnx.Device.Description}");

        var agree = true;
        IAnomalyDetector?[] managed = [model.Statistical, model.Forest, model.Autoencoder];
        foreach (var detector in managed.OfType<IAnomalyDetector>())
        {
            var expected = detector.Score(features).Scores;
            onnx.Detectors[detector.Name].Score(features);   // warm-up
            var clock = Stopwatch.StartNew();
            var actual = onnx.Detectors[detector.Name].Score(features).Scores;
            var seconds = clock.Elapsed.TotalSeconds;
            var worst = 0.0;
            for (var i = 0; i < expected.Length; i++)
            {
                var difference = Math.Abs((double)expected[i] - actual[i]) / Math.Max(1, Math.Abs((double)expected[i]));
                worst = double.IsNaN(difference) ? double.PositiveInfinity : Math.Max(worst, difference);
            }
            var ok = expected.Length == actual.Length && worst <= Tolerance;
            agree &= ok;
            Console.WriteLine($"{(ok ? "ok  " : "FAIL")} {detector.Name}: {seconds:F3} s, largest difference from the managed scorer {worst:G3}");
        }
        return agree ? 0 : 1;
    }
}
