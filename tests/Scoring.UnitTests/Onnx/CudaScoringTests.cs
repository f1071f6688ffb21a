using Vigil.Scoring.Detectors.Forest;
using Vigil.Scoring.Detectors.Neural;
using Vigil.Scoring.Detectors.Statistical;
using Vigil.Scoring.Onnx.Export;
using Vigil.Scoring.Onnx.Runtime;
using Vigil.Scoring.Onnx.Scoring;
using Vigil.Scoring.UnitTests.Detectors;

namespace Vigil.Scoring.UnitTests.Onnx;

public sealed class CudaScoringTests
{
    [CudaFact]
    public void On_a_GPU_the_detectors_score_on_CUDA_as_the_managed_scorer_does_and_say_which_GPU()
    {
        var host = new OnnxRuntimeHost(DeviceRequest.Cuda);
        var data = new SyntheticFeatures(features: 7, seed: 21);
        var training = data.Normal(600);
        var batch = data.WithOutliers(400, 20, Outlier.Extreme).Matrix;
        var autoencoder = Autoencoder.Fit(training, new AutoencoderOptions { MaxEpochs = 3 });
        var forest = IsolationForest.Fit(training, new IsolationForestOptions { Trees = 30 });
        var statistical = StatisticalDetector.Fit(training);

        Assert.True(host.IsAvailable, host.FailureReason);
        Assert.Equal(ScoringDevice.CudaKind, host.Device!.Kind);
        Assert.False(string.IsNullOrEmpty(host.Device.GpuName), host.Device.Description);
        Assert.True(host.Device.GpuMemoryMiB > 0, host.Device.Description);
        using var onnxAutoencoder = new OnnxDetector(autoencoder.Name, host.CreateSession(AutoencoderExporter.Export(autoencoder)), data.Names);
        using var onnxForest = new OnnxDetector(forest.Name, host.CreateSession(IsolationForestExporter.Export(forest)), data.Names);
        using var onnxStatistical = new OnnxDetector(statistical.Name, host.CreateSession(StatisticalExporter.Export(statistical)), data.Names);
        Assert.True(onnxAutoencoder.Score(batch) is { } gpu && gpu.Scores.Length == batch.Rows);
        Parity.Equal(autoencoder.Score(batch).Scores, onnxAutoencoder.Score(batch).Scores, "autoencoder on CUDA");
        Parity.Equal(forest.Score(batch).Scores, onnxForest.Score(batch).Scores, "isolation forest on CUDA");
        Parity.Equal(statistical.Score(batch).Scores, onnxStatistical.Score(batch).Scores, "statistical on CUDA");
    }
}
