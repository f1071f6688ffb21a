using System.Globalization;
using System.Text;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Onnx.Export;
using Vigil.Scoring.Onnx.Runtime;
using Vigil.Scoring.Onnx.Scoring;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.UnitTests.Onnx;

public sealed class EnsembleParityTests
{
    private static readonly TrainingRequest Fast = new()
    {
        KeyColumns = ["id"],
        Autoencoder = new() { MaxEpochs = 5 },
        IsolationForest = new() { Trees = 40 },
    };

    [Fact]
    public void The_ensemble_on_ONNX_Runtime_gives_the_managed_risk_decisions_and_explanations()
    {
        var (model, _) = EnsembleTrainer.Train(Shipments(1500, seed: 1, outliers: []), Fast);
        var features = model.Pipeline.Transform(Shipments(900, seed: 2, outliers: [5, 50, 500]));
        using var onnx = OnnxDetectorSet.Create(NativeOnnxRuntime.CpuHost, model, chunkRows: 200);

        var managed = model.Score(features);
        var exported = model.Score(features, onnx.Detectors);

        Assert.Equal(["autoencoder", "isolation_forest", "statistical"], onnx.Detectors.Keys.Order());
        Assert.Equal(ScoringDevice.CpuKind, onnx.Device.Kind);
        Parity.Equal(managed.Risk, exported.Risk, "ensemble risk");
        Assert.Equal(managed.DecisionCounts(), exported.DecisionCounts());
        foreach (var row in new[] { 5, 50, 500 }) Assert.Equal(managed.TopFeatures(row), exported.TopFeatures(row));
    }

    [Fact]
    public void Only_the_named_detectors_move_to_ONNX_Runtime_and_the_rest_stay_managed()
    {
        var (model, _) = EnsembleTrainer.Train(Shipments(600, seed: 4, outliers: []), Fast);
        var features = model.Pipeline.Transform(Shipments(300, seed: 6, outliers: [7]));
        using var onnx = OnnxDetectorSet.Create(NativeOnnxRuntime.CpuHost, model, only: new HashSet<string> { "autoencoder", "statistical" });

        Assert.Equal(["autoencoder", "statistical"], onnx.Detectors.Keys.Order());
        Parity.Equal(model.Score(features).Risk, model.Score(features, onnx.Detectors).Risk, "risk with the forest managed");
    }

    [Fact]
    public void A_model_version_exports_one_file_per_trained_detector_that_its_inspector_reads()
    {
        var (model, _) = EnsembleTrainer.Train(Shipments(600, seed: 3, outliers: []), Fast);

        var files = EnsembleExporter.Export(model);

        Assert.Equal([OnnxScoringGraph.AutoencoderFile, OnnxScoringGraph.IsolationForestFile, OnnxScoringGraph.StatisticalFile], files.Keys.Order());
        var width = model.Pipeline.FeatureNames.Count;
        foreach (var (name, bytes) in files)
        {
            var summary = Vigil.Scoring.Onnx.OnnxModelInspector.Inspect(bytes);
            Assert.Equal([-1L, width], Assert.Single(summary.Inputs).Shape);
            Assert.Equal(OnnxScoringGraph.Score, summary.Outputs[0].Name);
            Assert.Equal(name == OnnxScoringGraph.IsolationForestFile, summary.Opsets.ContainsKey(OnnxGraphBuilder.MlDomain));
        }
    }

    /// <summary>Shipments where cost = weight x rate per kg by carrier; an outlier's cost is far off that product.</summary>
    private static TypedTable Shipments(int rows, int seed, int[] outliers)
    {
        var random = new Random(seed);
        string[] carriers = ["dhl", "ups", "fedex", "post"];
        var text = new StringBuilder("id,carrier,weight_kg,rate,cost,express\n");
        for (var i = 0; i < rows; i++)
        {
            var carrier = random.Next(carriers.Length);
            var weight = Math.Round(0.5 + random.NextDouble() * 30, 2);
            var rate = 2 + carrier + Math.Round(random.NextDouble(), 2);
            var cost = Math.Round(weight * rate * (outliers.Contains(i) ? 7 : 1), 2);
            var express = random.Next(5) == 0 ? "true" : "false";
            text.Append(CultureInfo.InvariantCulture, $"s-{i},{carriers[carrier]},{weight},{rate},{cost},{express}\n");
        }
        return TableReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text.ToString())), TableReader.CsvMediaType);
    }
}
