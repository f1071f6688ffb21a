using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Contracts;
using Vigil.Scoring.Detectors;
using Vigil.Scoring.Detectors.Forest;
using Vigil.Scoring.Detectors.Neural;
using Vigil.Scoring.Detectors.Statistical;
using Vigil.Scoring.Evaluation;
using Vigil.Scoring.Features;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Ensemble;

/// <summary>Risk 0-100 at or above which a record is reviewed / blocked.</summary>
public sealed record DecisionThresholds(double Review, double Block);

/// <summary>Weight of each detector in the risk (normalised over the detectors present).</summary>
public sealed record EnsembleWeights(double Statistical = 1, double IsolationForest = 0.5, double Autoencoder = 4);

/// <summary>
/// A trained model: the feature pipeline, the three detectors, one empirical CDF per detector fitted on held-out normal
/// records (so every detector speaks the same 0-1 language), weights and decision thresholds. Scoring a batch gives
/// each record a risk = 100 x (1 - weighted geometric mean of the detectors' tail probabilities 1 - CDF), a decision,
/// and its top features.
/// </summary>
public sealed class EnsembleModel
{
    /// <summary>Tail probabilities are floored here: calibration on a few hundred records cannot tell rarer apart.</summary>
    private const double MinimumTailProbability = 1e-4;

    private readonly IReadOnlyList<(IAnomalyDetector Detector, EmpiricalCdf Calibration, double Weight)> _members;

    public EnsembleModel(FeaturePipeline pipeline, StatisticalDetector statistical, IsolationForest? forest, Autoencoder? autoencoder,
        IReadOnlyDictionary<string, EmpiricalCdf> calibrations, EnsembleWeights weights, DecisionThresholds thresholds, FeatureReference? reference = null)
    {
        Reference = reference;
        Pipeline = pipeline;
        Statistical = statistical;
        Forest = forest;
        Autoencoder = autoencoder;
        Calibrations = calibrations;
        Weights = weights;
        Thresholds = thresholds;
        var members = new List<(IAnomalyDetector, EmpiricalCdf, double)> { (statistical, calibrations[statistical.Name], weights.Statistical) };
        if (forest is not null) members.Add((forest, calibrations[forest.Name], weights.IsolationForest));
        if (autoencoder is not null) members.Add((autoencoder, calibrations[autoencoder.Name], weights.Autoencoder));
        _members = members;
    }

    public FeaturePipeline Pipeline { get; }
    public StatisticalDetector Statistical { get; }
    public IsolationForest? Forest { get; }
    public Autoencoder? Autoencoder { get; }
    public IReadOnlyDictionary<string, EmpiricalCdf> Calibrations { get; }
    public EnsembleWeights Weights { get; }
    public DecisionThresholds Thresholds { get; }

    /// <summary>The names of the detectors in this model, in scoring order.</summary>
    public IReadOnlyList<string> DetectorNames => [.. _members.Select(m => m.Detector.Name)];

    /// <summary>The training distribution of each feature, for drift (PSI) of scored batches.</summary>
    public FeatureReference? Reference { get; }

    /// <exception cref="FeaturePipelineException">The batch does not have the columns the model was trained with.</exception>
    public EnsembleScores Score(TypedTable table) => Score(Pipeline.Transform(table));

    public EnsembleScores Score(FeatureMatrix features) => Score(features, runtime: null);

    /// <summary>
    /// Scores with some detectors replaced by another implementation of the same detector, keyed by
    /// <see cref="IAnomalyDetector.Name"/> (the ONNX Runtime scorer runs the exported graphs this way); calibration,
    /// weights and thresholds stay the model's own.
    /// </summary>
    public EnsembleScores Score(FeatureMatrix features, IReadOnlyDictionary<string, IAnomalyDetector>? runtime)
    {
        var risk = new double[features.Rows];
        var totalWeight = _members.Sum(m => m.Weight);
        float[]? contributions = null;
        foreach (var (member, calibration, weight) in _members)
        {
            var detector = runtime?.GetValueOrDefault(member.Name) ?? member;
            var scores = detector.Score(features);
            for (var row = 0; row < features.Rows; row++)
            {
                // Evidence in log space of each detector's tail probability, so that one detector's certainty is not
                // averaged away by another that cannot see the anomaly (an isolation forest is blind beyond the range
                // it was trained on; an autoencoder is not).
                var tail = Math.Max(1 - calibration.Cdf(scores.Scores[row]), MinimumTailProbability);
                risk[row] += weight * -Math.Log(tail);
            }
            // Explanations come from the detector that reports per-feature contributions best: the autoencoder's
            // reconstruction error when there is one, otherwise the statistical |z|.
            if (scores.Contributions is not null && (contributions is null || member is Autoencoder)) contributions = scores.Contributions;
        }
        for (var row = 0; row < risk.Length; row++) risk[row] = Math.Round(100 * (1 - Math.Exp(-risk[row] / totalWeight)), 4);
        return new EnsembleScores(risk, Thresholds, contributions, features.Columns, Pipeline.Sources);
    }

    public string ToJson() => new JsonObject
    {
        ["pipeline"] = JsonNode.Parse(Pipeline.ToJson()),
        ["statistical"] = JsonNode.Parse(Statistical.ToJson()),
        ["isolationForest"] = Forest is null ? null : JsonNode.Parse(Forest.ToJson()),
        ["autoencoder"] = Autoencoder is null ? null : JsonNode.Parse(Autoencoder.ToJson()),
        ["calibrations"] = new JsonObject(Calibrations.Select(c => KeyValuePair.Create(c.Key, JsonNode.Parse(c.Value.ToJson())))),
        ["weights"] = JsonSerializer.SerializeToNode(Weights),
        ["thresholds"] = JsonSerializer.SerializeToNode(Thresholds),
        ["reference"] = Reference is null ? null : JsonSerializer.SerializeToNode(Reference),
    }.ToJsonString();

    public static EnsembleModel FromJson(string json)
    {
        var root = JsonNode.Parse(json)?.AsObject() ?? throw new InvalidDataException("The model document is empty.");
        string Part(string name) => root[name]?.ToJsonString() ?? throw new InvalidDataException($"The model document has no '{name}'.");
        return new EnsembleModel(
            FeaturePipeline.FromJson(Part("pipeline")),
            StatisticalDetector.FromJson(Part("statistical")),
            root["isolationForest"] is null ? null : IsolationForest.FromJson(Part("isolationForest")),
            root["autoencoder"] is null ? null : Autoencoder.FromJson(Part("autoencoder")),
            root["calibrations"]!.AsObject().ToDictionary(p => p.Key, p => EmpiricalCdf.FromJson(p.Value!.ToJsonString())),
            root["weights"].Deserialize<EnsembleWeights>()!,
            root["thresholds"].Deserialize<DecisionThresholds>()!,
            root["reference"]?.Deserialize<FeatureReference>());
    }
}

/// <summary>Risk and decision per record, with the features that contributed most (mapped back to source columns).</summary>
public sealed class EnsembleScores(double[] risk, DecisionThresholds thresholds, float[]? contributions, int featureCount, IReadOnlyList<FeatureSource> sources)
{
    public IReadOnlyList<double> Risk => risk;

    public string Decision(int row) =>
        risk[row] >= thresholds.Block ? Decisions.Block : risk[row] >= thresholds.Review ? Decisions.Review : Decisions.Approve;

    public IReadOnlyDictionary<string, long> DecisionCounts()
    {
        var counts = new Dictionary<string, long> { [Decisions.Approve] = 0, [Decisions.Review] = 0, [Decisions.Block] = 0 };
        for (var row = 0; row < risk.Length; row++) counts[Decision(row)]++;
        return counts;
    }

    /// <summary>The source columns whose features contributed most to the row's score, strongest first.</summary>
    public IReadOnlyList<string> TopFeatures(int row, int count = 3)
    {
        if (contributions is null) return [];
        var byColumn = new Dictionary<string, float>();
        for (var f = 0; f < featureCount; f++)
        {
            var column = sources[f].Column;
            byColumn[column] = byColumn.GetValueOrDefault(column) + contributions[row * featureCount + f];
        }
        return [.. byColumn.OrderByDescending(p => p.Value).Take(count).Where(p => p.Value > 0).Select(p => p.Key)];
    }
}
