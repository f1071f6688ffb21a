using Vigil.Scoring.Detectors.Forest;
using Vigil.Scoring.Detectors.Neural;
using Vigil.Scoring.Detectors.Statistical;
using Vigil.Scoring.Features;
using Vigil.Scoring.Onnx.Export;
using Vigil.Scoring.Onnx.Scoring;
using Vigil.Scoring.UnitTests.Detectors;

namespace Vigil.Scoring.UnitTests.Onnx;

public sealed class DetectorParityTests
{
    private static readonly SyntheticFeatures Data = new(features: 9, seed: 11);
    private static readonly FeatureMatrix Training = Data.Normal(800);
    private static readonly FeatureMatrix Batch = Data.WithOutliers(700, 30, Outlier.Extreme).Matrix;

    [Fact]
    public void The_exported_autoencoder_gives_the_managed_scores_and_contributions()
    {
        var autoencoder = Autoencoder.Fit(Training, new AutoencoderOptions { MaxEpochs = 5, HiddenLayers = [6, 3, 6] });
        using var onnx = Detector(Autoencoder.DetectorName, AutoencoderExporter.Export(autoencoder), chunkRows: 256);

        var managed = autoencoder.Score(Batch);
        var exported = onnx.Score(Batch);

        Parity.Equal(managed.Scores, exported.Scores, "autoencoder score");
        Parity.Equal(managed.Contributions!, exported.Contributions!, "autoencoder contributions");
    }

    [Fact]
    public void Asking_an_exported_graph_for_scores_only_gives_the_same_scores_without_contributions()
    {
        var autoencoder = Autoencoder.Fit(Training, new AutoencoderOptions { MaxEpochs = 3, HiddenLayers = [6, 3, 6] });
        var statistical = StatisticalDetector.Fit(Training);
        using var onnxAutoencoder = Detector(Autoencoder.DetectorName, AutoencoderExporter.Export(autoencoder), chunkRows: 200);
        using var onnxStatistical = Detector(StatisticalDetector.DetectorName, StatisticalExporter.Export(statistical));

        Parity.Equal(autoencoder.Score(Batch).Scores, onnxAutoencoder.ScoresOnly(Batch), "autoencoder scores only");
        Parity.Equal(statistical.ScoresOnly(Batch), onnxStatistical.ScoresOnly(Batch), "statistical scores only");
    }

    [Fact]
    public void The_exported_isolation_forest_gives_the_managed_scores()
    {
        var forest = IsolationForest.Fit(Training, new IsolationForestOptions { Trees = 60, Seed = 3 });
        using var onnx = Detector(IsolationForest.DetectorName, IsolationForestExporter.Export(forest));

        var managed = forest.Score(Batch);
        var exported = onnx.Score(Batch);

        Parity.Equal(managed.Scores, exported.Scores, "isolation forest score");
        Assert.Null(exported.Contributions);
    }

    [Fact]
    public void A_value_equal_to_a_split_threshold_goes_the_same_way_as_in_the_managed_forest()
    {
        var forest = IsolationForest.Fit(Training, new IsolationForestOptions { Trees = 20, Seed = 5 });
        using var onnx = Detector(IsolationForest.DetectorName, IsolationForestExporter.Export(forest));
        // One row per split of every tree with that split's feature exactly at its threshold: BRANCH_LT sends it right,
        // BRANCH_LEQ would send it left, and the scores would part.
        var rows = new List<float>();
        foreach (var tree in forest.Trees)
            for (var n = 0; n < tree.NodeCount; n++)
            {
                if (tree.IsLeaf(n)) continue;
                var row = Training.Row(n % Training.Rows).ToArray();
                row[tree.FeatureIndex.Span[n]] = tree.Threshold.Span[n];
                rows.AddRange(row);
            }
        var atThresholds = new FeatureMatrix([.. rows], rows.Count / Data.Features, Data.Names);

        Parity.Equal(forest.Score(atThresholds).Scores, onnx.Score(atThresholds).Scores, "scores at split thresholds");
    }

    [Fact]
    public void A_missing_value_takes_the_same_branch_as_in_the_managed_forest()
    {
        var forest = IsolationForest.Fit(Training, new IsolationForestOptions { Trees = 20, Seed = 8 });
        using var onnx = Detector(IsolationForest.DetectorName, IsolationForestExporter.Export(forest));
        var values = Batch.Values.AsSpan(0, 40 * Data.Features).ToArray();
        for (var r = 0; r < 40; r++) values[r * Data.Features + r % Data.Features] = float.NaN;
        var withNaN = new FeatureMatrix(values, 40, Data.Names);
        // The managed tree walk (IsolationTree, the reference) sends NaN right as NaN < threshold is false; ONNX Runtime must
        // too. Feature matrices are NaN-free by contract, and the compiled managed scorer is not held to this case.
        var walked = Enumerable.Range(0, 40).Select(r => (float)Math.Pow(2,
            -forest.Trees.Average(t => t.PathLength(withNaN.Row(r))) / forest.Normalizer)).ToArray();

        Parity.Equal(walked, onnx.Score(withNaN).Scores, "scores with NaN");
    }

    [Theory]
    [InlineData(ScoreAggregation.Max)]
    [InlineData(ScoreAggregation.Mean)]
    [InlineData(ScoreAggregation.Rms)]
    public void The_exported_statistical_detector_gives_the_managed_scores_and_contributions(ScoreAggregation aggregation)
    {
        var detector = StatisticalDetector.Fit(Training, new StatisticalDetectorOptions { Aggregation = aggregation, MaxZ = 4 });
        using var onnx = Detector(StatisticalDetector.DetectorName, StatisticalExporter.Export(detector));

        var managed = detector.Score(Batch);
        var exported = onnx.Score(Batch);

        Parity.Equal(managed.Scores, exported.Scores, $"statistical {aggregation} score");
        Parity.Equal(managed.Contributions!, exported.Contributions!, "statistical contributions");
        Assert.Contains(exported.Contributions!, z => z == 4);   // the clip is part of the graph
    }

    [Fact]
    public void An_empty_batch_gives_empty_scores_without_running()
    {
        var detector = StatisticalDetector.Fit(Training);
        using var onnx = Detector(StatisticalDetector.DetectorName, StatisticalExporter.Export(detector));

        var scores = onnx.Score(new FeatureMatrix([], 0, Data.Names));

        Assert.Empty(scores.Scores);
    }

    private static OnnxDetector Detector(string name, byte[] model, int chunkRows = OnnxDetector.DefaultChunkRows) =>
        new(name, NativeOnnxRuntime.CpuHost.CreateSession(model), Data.Names, chunkRows);
}
