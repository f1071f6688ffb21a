using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Contracts;
using Vigil.Scoring.Detectors;
using Vigil.Scoring.Detectors.Categorical;
using Vigil.Scoring.Detectors.Forest;
using Vigil.Scoring.Detectors.Neural;
using Vigil.Scoring.Detectors.Statistical;
using Vigil.Scoring.Evaluation;
using Vigil.Scoring.Features;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Ensemble;

/// <summary>Risk 0-100 at or above which a record is reviewed / blocked, and how the two were chosen.</summary>
public sealed record DecisionThresholds(double Review, double Block, ThresholdMethod Method = ThresholdMethod.Percentile, string? Basis = null);

/// <summary>
/// Weight of each detector's evidence in the risk (normalised over the detectors present), and where the weights came
/// from: "default", "perturbations" (chosen on synthetic anomalies of held-out records) or "labels" (stacked on
/// labelled anomalies; "labels: X alone ..." when one detector ranks them as well as the stacked combination).
/// </summary>
public sealed record EnsembleWeights(double Statistical = 1, double IsolationForest = 0.5, double Autoencoder = 4)
{
    public double Relations { get; init; } = 1;

    /// <summary>The category co-occurrence detector's weight (models trained before it existed have no such detector).</summary>
    public double CoOccurrence { get; init; } = 1;

    /// <summary>The histogram detector's weight (models trained before it existed have no such detector).</summary>
    public double Histogram { get; init; } = 1;

    public string Source { get; init; } = "default";

    public double For(string detector) => detector switch
    {
        Detectors.Statistical.StatisticalDetector.DetectorName => Statistical,
        Detectors.Forest.IsolationForest.DetectorName => IsolationForest,
        Detectors.Neural.Autoencoder.DetectorName => Autoencoder,
        RelationDetector.DetectorName => Relations,
        CoOccurrenceDetector.DetectorName => CoOccurrence,
        HistogramDetector.DetectorName => Histogram,
        _ => throw new ArgumentOutOfRangeException(nameof(detector), detector, "Not an ensemble detector."),
    };
}

/// <summary>
/// A trained model: the feature pipeline, the detectors, one calibration per detector fitted on held-out normal
/// records (so every detector speaks the same language: evidence = -ln of the share of normal records scoring higher,
/// with a fitted Pareto tail beyond the top 1%), weights and decision thresholds. A record's evidence is the weighted
/// mean of the detectors' evidence and its risk = 100 x (1 - e^-evidence), with a decision and its top features.
/// </summary>
public sealed class EnsembleModel
{
    private const int RowsPerBlock = 4096;

    private readonly IReadOnlyList<(IAnomalyDetector Detector, EmpiricalCdf Calibration, double Weight)> _members;

    public EnsembleModel(FeaturePipeline pipeline, StatisticalDetector statistical, IsolationForest? forest, Autoencoder? autoencoder,
        IReadOnlyDictionary<string, EmpiricalCdf> calibrations, EnsembleWeights weights, DecisionThresholds thresholds, FeatureReference? reference = null,
        RelationDetector? relations = null, bool uploadedAutoencoder = false, CoOccurrenceDetector? coOccurrence = null,
        HistogramDetector? histogram = null)
    {
        if (uploadedAutoencoder && autoencoder is not null) throw new ArgumentException("A model has a trained or an uploaded autoencoder, not both.");
        UploadedAutoencoder = uploadedAutoencoder;
        Relations = relations;
        CoOccurrence = coOccurrence;
        Histogram = histogram;
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
        if (uploadedAutoencoder)
            members.Add((new UploadedDetector(Detectors.Neural.Autoencoder.DetectorName), calibrations[Detectors.Neural.Autoencoder.DetectorName], weights.Autoencoder));
        if (relations is not null) members.Add((relations, calibrations[relations.Name], weights.Relations));
        if (coOccurrence is not null) members.Add((coOccurrence, calibrations[coOccurrence.Name], weights.CoOccurrence));
        if (histogram is not null) members.Add((histogram, calibrations[histogram.Name], weights.Histogram));
        _members = members;
    }

    public FeaturePipeline Pipeline { get; }
    public StatisticalDetector Statistical { get; }
    public IsolationForest? Forest { get; }
    public Autoencoder? Autoencoder { get; }

    /// <summary>Whether the autoencoder is a user's ONNX graph (stored beside the model), which only ONNX Runtime can run.</summary>
    public bool UploadedAutoencoder { get; }

    /// <summary>Linear relations between columns (absent in models trained before it existed).</summary>
    public RelationDetector? Relations { get; }

    /// <summary>Contradictions between categorical columns (absent where a batch has fewer than two, and in models trained before it existed).</summary>
    public CoOccurrenceDetector? CoOccurrence { get; }

    /// <summary>How common each value is in its column (absent in models trained before it existed).</summary>
    public HistogramDetector? Histogram { get; }
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
    public EnsembleScores Score(FeatureMatrix features, IReadOnlyDictionary<string, IAnomalyDetector>? runtime) =>
        Score(features, runtime, ExplainChunkRows);

    /// <summary>Rows the explaining detector scores at a time: 65,536 x 64 features is 16 MB of contributions.</summary>
    internal const int ExplainChunkRows = 65_536;

    internal EnsembleScores Score(FeatureMatrix features, IReadOnlyDictionary<string, IAnomalyDetector>? runtime, int explainChunkRows)
    {
        var evidence = new double[features.Rows];
        var strongest = new double[features.Rows];
        var totalWeight = _members.Sum(m => m.Weight);
        RowExplanations? explanations = null;
        var byDetector = new Dictionary<string, float[]>();
        if (!(totalWeight > 0)) throw new InvalidOperationException("The model gives every detector weight 0; no risk can be computed.");
        foreach (var (member, calibration, weight) in _members)
        {
            var replacement = runtime?.GetValueOrDefault(member.Name);
            var explains = member == Explainer;
            // A detector dropped from the ensemble (weight 0) is only run when it explains the records.
            if (weight == 0 && !explains) continue;
            // Only the explaining detector's contributions are kept: skipping the others' saves a rows x features array each.
            var detector = replacement ?? member;
            float[] scores;
            if (explains) (scores, explanations) = Explain(detector, features, explainChunkRows);
            else scores = ScoresOnly(detector, features);
            // Evidence in log space (a weighted geometric mean of tail probabilities), so that one detector's certainty
            // is not averaged away by another that cannot see the anomaly (an isolation forest is blind beyond the range
            // it was trained on; an autoencoder is not). And, for a detector of contradictions (a broken identity
            // between columns, two common values that never meet), never less than its Bonferroni evidence
            // e + ln(share): a contradiction only it can see then needs its evidence a few nats beyond the threshold,
            // not a multiple of it. Detectors of mere unusualness get no such floor: their extreme tail, calibrated on a
            // few hundred held-out records, is too noisy to be trusted alone (normal records of a new day of week or
            // beyond the held-out maximum would be flagged by one detector).
            var share = weight / totalWeight;
            var logShare = share > 0 && SeesContradictions(member.Name) ? Math.Log(share) : double.NegativeInfinity;
            var own = new float[features.Rows];
            ForEachBlock(features.Rows, (first, end) =>
            {
                for (var row = first; row < end; row++)
                {
                    var e = calibration.Evidence(scores[row]);
                    own[row] = (float)e;
                    evidence[row] += share * e;
                    strongest[row] = Math.Max(strongest[row], e + logShare);
                }
            });
            if (weight > 0) byDetector[member.Name] = own;
        }
        var risk = new double[features.Rows];
        ForEachBlock(features.Rows, (first, end) =>
        {
            for (var row = first; row < end; row++)
            {
                evidence[row] = Math.Max(evidence[row], strongest[row]);
                risk[row] = RiskOf(evidence[row]);
            }
        });
        return new EnsembleScores(risk, evidence, Thresholds, explanations) { DetectorEvidence = byDetector };
    }

    /// <summary>
    /// The explaining detector's scores, run over chunks of rows so that its per-feature contributions are reduced to
    /// each row's top columns chunk by chunk (every detector scores a row independently of the others in its batch).
    /// </summary>
    private (float[] Scores, RowExplanations? Explanations) Explain(IAnomalyDetector detector, FeatureMatrix features, int chunkRows)
    {
        var scores = new float[features.Rows];
        RowExplanations? explanations = new(features.Rows, Pipeline.Sources);
        var width = features.Columns;
        // Every full chunk is copied into the same buffer (only a last, shorter one needs its own).
        var buffer = features.Rows > chunkRows ? new float[chunkRows * width] : null;
        for (var first = 0; first < features.Rows; first += chunkRows)
        {
            var count = Math.Min(chunkRows, features.Rows - first);
            var chunk = count == features.Rows ? features : new FeatureMatrix(ChunkValues(features.Values.AsSpan(first * width, count * width), buffer!), count, features.FeatureNames);
            var result = detector.Score(chunk);
            result.Scores.CopyTo(scores, first);
            // A detector that gives no contributions explains nothing (an uploaded model may have none).
            if (result.Contributions is null) explanations = null;
            else explanations?.Add(result.Contributions, first);
        }
        return (scores, explanations);
    }

    private static float[] ChunkValues(ReadOnlySpan<float> values, float[] buffer)
    {
        var target = values.Length == buffer.Length ? buffer : new float[values.Length];
        values.CopyTo(target);
        return target;
    }

    /// <summary>
    /// The detector whose per-feature contributions explain a record: the autoencoder's reconstruction error when there
    /// is one, otherwise the statistical |z|.
    /// </summary>
    private IAnomalyDetector Explainer => (IAnomalyDetector?)Autoencoder ?? Statistical;

    private static float[] ScoresOnly(IAnomalyDetector detector, FeatureMatrix features) =>
        detector is IScoresOnlyDetector lean ? lean.ScoresOnly(features) : detector.Score(features).Scores;

    /// <summary>Each detector's evidence per row (what the weights multiply), for choosing weights and for inspection.</summary>
    public IReadOnlyDictionary<string, double[]> EvidenceByDetector(FeatureMatrix features)
    {
        var result = new Dictionary<string, double[]>();
        foreach (var (member, calibration, _) in _members)
        {
            var scores = ScoresOnly(member, features);
            var evidence = new double[features.Rows];
            ForEachBlock(features.Rows, (first, end) =>
            {
                for (var row = first; row < end; row++) evidence[row] = calibration.Evidence(scores[row]);
            });
            result[member.Name] = evidence;
        }
        return result;
    }

    /// <summary>The same model with other weights (a training tries candidates before it settles on one).</summary>
    public EnsembleModel With(EnsembleWeights weights, DecisionThresholds thresholds, FeatureReference? reference) =>
        new(Pipeline, Statistical, Forest, Autoencoder, Calibrations, weights, thresholds, reference, Relations, UploadedAutoencoder, CoOccurrence, Histogram);

    /// <summary>Whether a detector (by name) sees contradictions, which alone make a record anomalous, rather than unusual values.</summary>
    internal static bool SeesContradictions(string detector) => detector is RelationDetector.DetectorName or CoOccurrenceDetector.DetectorName;

    /// <summary>Risk 0-100 from evidence in nats, rounded to 4 decimals as it is stored and shown.</summary>
    public static double RiskOf(double evidence) => Math.Round(100 * (1 - Math.Exp(-evidence)), 4);

    private static void ForEachBlock(int rows, Action<int, int> body) =>
        Parallel.For(0, (rows + RowsPerBlock - 1) / RowsPerBlock, block =>
            body(block * RowsPerBlock, Math.Min(rows, (block + 1) * RowsPerBlock)));

    public string ToJson() => new JsonObject
    {
        ["pipeline"] = JsonNode.Parse(Pipeline.ToJson()),
        ["statistical"] = JsonNode.Parse(Statistical.ToJson()),
        ["isolationForest"] = Forest is null ? null : JsonNode.Parse(Forest.ToJson()),
        ["autoencoder"] = Autoencoder is null ? null : JsonNode.Parse(Autoencoder.ToJson()),
        ["relations"] = Relations is null ? null : JsonNode.Parse(Relations.ToJson()),
        ["coOccurrence"] = CoOccurrence is null ? null : JsonNode.Parse(CoOccurrence.ToJson()),
        ["histogram"] = Histogram is null ? null : JsonNode.Parse(Histogram.ToJson()),
        ["uploadedAutoencoder"] = UploadedAutoencoder,
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
            root["reference"]?.Deserialize<FeatureReference>(),
            root["relations"] is null ? null : RelationDetector.FromJson(Part("relations")),
            root["uploadedAutoencoder"]?.GetValue<bool>() ?? false,
            root["coOccurrence"] is null ? null : CoOccurrenceDetector.FromJson(Part("coOccurrence")),
            root["histogram"] is null ? null : HistogramDetector.FromJson(Part("histogram")));
    }
}

/// <summary>Risk and decision per record, with the features that contributed most (mapped back to source columns).</summary>
public sealed class EnsembleScores
{
    private readonly double[] _risk;
    private readonly double[] _evidence;
    private readonly DecisionThresholds _thresholds;
    private readonly RowExplanations? _explanations;

    /// <summary>Scores whose top features come from <paramref name="explanations"/> (null: none are known).</summary>
    public EnsembleScores(double[] risk, double[] evidence, DecisionThresholds thresholds, RowExplanations? explanations)
    {
        (_risk, _evidence, _thresholds, _explanations) = (risk, evidence, thresholds, explanations);
    }

    /// <summary>Scores whose top features are reduced from per-feature <paramref name="contributions"/> (rows x features, row-major; null: none).</summary>
    public EnsembleScores(double[] risk, double[] evidence, DecisionThresholds thresholds, float[]? contributions, int featureCount, IReadOnlyList<FeatureSource> sources)
        : this(risk, evidence, thresholds, Explain(contributions, risk.Length, featureCount, sources))
    {
    }

    private static RowExplanations? Explain(float[]? contributions, int rows, int featureCount, IReadOnlyList<FeatureSource> sources)
    {
        if (contributions is null) return null;
        if (featureCount != sources.Count || contributions.Length != rows * featureCount)
            throw new ArgumentException($"{contributions.Length} contributions are not {rows} rows of {featureCount} features from {sources.Count} sources.", nameof(contributions));
        var explanations = new RowExplanations(rows, sources);
        explanations.Add(contributions, first: 0);
        return explanations;
    }

    public IReadOnlyList<double> Risk => _risk;

    /// <summary>Each row's top columns (null: none are known), for joining the scores of a batch's chunks.</summary>
    internal RowExplanations? Explanations => _explanations;

    /// <summary>The weighted evidence (nats) behind each risk: the same order, without the rounding and the saturation at 100.</summary>
    public IReadOnlyList<double> Evidence => _evidence;

    /// <summary>Each weighted detector's own calibrated evidence (nats) per record, by detector name, for the scores report.</summary>
    public IReadOnlyDictionary<string, float[]> DetectorEvidence { get; init; } = new Dictionary<string, float[]>();

    public string Decision(int row) =>
        _risk[row] >= _thresholds.Block ? Decisions.Block : _risk[row] >= _thresholds.Review ? Decisions.Review : Decisions.Approve;

    public IReadOnlyDictionary<string, long> DecisionCounts()
    {
        var counts = new Dictionary<string, long> { [Decisions.Approve] = 0, [Decisions.Review] = 0, [Decisions.Block] = 0 };
        for (var row = 0; row < _risk.Length; row++) counts[Decision(row)]++;
        return counts;
    }

    /// <summary>The source columns whose features contributed most to the row's score, strongest first (at most <see cref="RowExplanations.Count"/>).</summary>
    public IReadOnlyList<string> TopFeatures(int row)
    {
        if (_explanations is null) return [];
        Span<int> top = stackalloc int[RowExplanations.Count];
        var found = _explanations.Top(row, top);
        var list = new List<string>(found);
        for (var k = 0; k < found; k++) list.Add(_explanations.Names[top[k]]);
        return list;
    }

    /// <summary>The distinct source columns of the features, in order of first appearance: what <see cref="TopFeatureColumns"/> indexes.</summary>
    public IReadOnlyList<string> FeatureColumnNames => _explanations?.Names ?? [];

    /// <summary><see cref="TopFeatures"/> without allocating: indices into <see cref="FeatureColumnNames"/> written to <paramref name="top"/>; returns how many.</summary>
    public int TopFeatureColumns(int row, Span<int> top) => _explanations?.Top(row, top) ?? 0;
}
