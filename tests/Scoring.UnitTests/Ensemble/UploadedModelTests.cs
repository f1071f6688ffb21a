using Vigil.Scoring.Detectors;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Features;

namespace Vigil.Scoring.UnitTests.Ensemble;

/// <summary>
/// A model version around an uploaded autoencoder. The trained autoencoder of a model stands in for the user's graph
/// (same name, scores the same way); on the service, ONNX Runtime runs the uploaded graph in its place.
/// </summary>
public sealed class UploadedModelTests
{
    private static readonly (EnsembleModel Model, TrainingMetrics Metrics) Trained =
        EnsembleTrainer.Train(EnsembleTests.Orders(1500, seed: 1, outliers: []), EnsembleTests.Fast);

    private static IAnomalyDetector StandIn => Trained.Model.Autoencoder!;

    private static IReadOnlyDictionary<string, IAnomalyDetector> Runtime => new Dictionary<string, IAnomalyDetector> { [StandIn.Name] = StandIn };

    private static EnsembleModel Calibrated(int rows = 1200, IReadOnlySet<int>? excluded = null) =>
        UploadedModelCalibrator.Calibrate(Trained.Model.Pipeline, EnsembleTests.Orders(rows, seed: 3, outliers: []), excluded ?? new HashSet<int>(),
            StandIn, new ThresholdPolicy()).Model;

    [Fact]
    public void Calibrated_on_normal_records_it_flags_injected_outliers_when_the_runtime_runs_its_graph()
    {
        var model = Calibrated();
        int[] injected = [40, 400];

        var scores = model.Score(Trained.Model.Pipeline.Transform(EnsembleTests.Orders(600, seed: 4, outliers: injected)), Runtime);

        Assert.True(model.UploadedAutoencoder);
        Assert.Equal(["statistical", "autoencoder"], model.DetectorNames);
        Assert.Equal(injected.ToHashSet(), Enumerable.Range(0, 600).OrderByDescending(r => scores.Risk[r]).Take(2).ToHashSet());
        Assert.All(injected, row => Assert.NotEqual("approve", scores.Decision(row)));
        Assert.Equal("uploaded", model.Weights.Source);
    }

    [Fact]
    public void Without_a_runtime_for_the_uploaded_graph_scoring_says_so_instead_of_guessing()
    {
        var model = Calibrated();
        var features = Trained.Model.Pipeline.Transform(EnsembleTests.Orders(50, seed: 5, outliers: []));

        var error = Assert.Throws<UploadedModelUnavailableException>(() => model.Score(features));

        Assert.Contains("ONNX Runtime", error.Message);
    }

    [Fact]
    public void The_model_document_remembers_the_uploaded_autoencoder_and_scores_the_same_after_a_round_trip()
    {
        var model = Calibrated();
        var features = Trained.Model.Pipeline.Transform(EnsembleTests.Orders(300, seed: 6, outliers: [7]));

        var again = EnsembleModel.FromJson(model.ToJson());

        Assert.True(again.UploadedAutoencoder);
        Assert.Null(again.Autoencoder);
        Assert.Equal(model.Score(features, Runtime).Risk, again.Score(features, Runtime).Risk);
    }

    [Fact]
    public void Too_few_normal_records_or_a_detector_that_is_not_an_autoencoder_are_refused()
    {
        var tooFew = Assert.Throws<TrainingException>(() => Calibrated(rows: 60, excluded: Enumerable.Range(0, 30).ToHashSet()));
        Assert.Contains("normal records", tooFew.Message);

        var table = EnsembleTests.Orders(200, seed: 7, outliers: []);
        Assert.Throws<ArgumentException>(() =>
            UploadedModelCalibrator.Calibrate(Trained.Model.Pipeline, table, new HashSet<int>(), Trained.Model.Statistical, new ThresholdPolicy()));
    }

    [Fact]
    public void A_batch_without_the_pipelines_columns_is_a_feature_pipeline_error()
    {
        var table = Vigil.Tabular.Tables.TableReader.Read(new MemoryStream("other,columns\n1,2\n"u8.ToArray()), "text/csv");

        Assert.Throws<FeaturePipelineException>(() =>
            UploadedModelCalibrator.Calibrate(Trained.Model.Pipeline, table, new HashSet<int>(), StandIn, new ThresholdPolicy()));
    }
}
