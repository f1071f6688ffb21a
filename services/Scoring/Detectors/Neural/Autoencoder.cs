using System.Numerics.Tensors;
using System.Text.Json;
using Vigil.Scoring.Features;

namespace Vigil.Scoring.Detectors.Neural;

/// <summary>
/// A dense autoencoder trained on normal rows: features are standardised ((x - mean) / scale, from the training rows),
/// encoded through ReLU layers to a bottleneck and decoded linearly. A row's score is its mean squared reconstruction
/// error in standardised units; the contributions are the squared errors per feature (rows x features). It catches rows
/// that break the correlations between features even when no single value is extreme.
/// </summary>
/// <remarks>
/// ONNX: Sub(<see cref="InputMean"/>), Div(<see cref="InputScale"/>), then per layer Gemm(transB = 1) with
/// <see cref="DenseLayer.Weights"/> and <see cref="DenseLayer.Bias"/> and Relu where flagged; the error is taken against
/// the standardised input.
/// </remarks>
public sealed class Autoencoder : IAnomalyDetector
{
    public const string DetectorName = "autoencoder";

    private const int RowsPerBlock = 256;
    private const int FormatVersion = 1;

    private readonly DenseNetwork _network;
    private readonly float[] _parameters;
    private readonly float[] _mean;
    private readonly float[] _scale;

    private Autoencoder(IReadOnlyList<string> featureNames, DenseNetwork network, float[] parameters, float[] mean, float[] scale,
        AutoencoderOptions options, TrainingReport training)
    {
        FeatureNames = featureNames;
        _network = network;
        _parameters = parameters;
        _mean = mean;
        _scale = scale;
        Options = options;
        Training = training;
        Layers = [.. network.Layers.Select(l => new DenseLayer(l.Inputs, l.Outputs, l.Relu,
            parameters.AsMemory(l.WeightOffset, l.Inputs * l.Outputs), parameters.AsMemory(l.BiasOffset, l.Outputs)))];
    }

    public string Name => DetectorName;

    /// <summary>The features the network was trained on, in the order <see cref="Score"/> expects them.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Input layer first, output (linear, one unit per feature) last.</summary>
    public IReadOnlyList<DenseLayer> Layers { get; }

    /// <summary>Per-feature mean of the training rows, subtracted before the first layer.</summary>
    public ReadOnlyMemory<float> InputMean => _mean;

    /// <summary>Per-feature standard deviation of the training rows (1 for a constant feature), divided by after the mean.</summary>
    public ReadOnlyMemory<float> InputScale => _scale;

    public AutoencoderOptions Options { get; }

    public TrainingReport Training { get; }

    /// <summary>
    /// Trains on rows taken as normal: He initialisation, mini-batch Adam, early stopping on the validation split with
    /// the best epoch's weights kept. The same seed gives the same network on the same hardware, whatever the core count.
    /// </summary>
    public static Autoencoder Fit(FeatureMatrix normal, AutoencoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(normal);
        options ??= new AutoencoderOptions();
        options.Validate();
        if (normal.Columns == 0)
            throw new ArgumentException("An autoencoder needs at least one feature column; the training matrix has none.", nameof(normal));
        if (normal.Rows < 2)
            throw new ArgumentException($"An autoencoder needs at least 2 training rows (one is held out for validation); got {normal.Rows}.", nameof(normal));

        // The caller keeps its array; the stored options hold the widths used.
        options = options.ForFeatures(normal.Columns);
        var trained = AutoencoderTrainer.Train(normal, options);
        return new Autoencoder([.. normal.FeatureNames], trained.Network, trained.Parameters, trained.Mean, trained.Scale,
            options, trained.Report);
    }

    /// <summary>Mean squared reconstruction error per row, and the squared error per feature as contributions.</summary>
    public DetectorScores Score(FeatureMatrix features)
    {
        CheckFeatures(features);
        var columns = features.Columns;
        var scores = new float[features.Rows];
        var contributions = new float[features.Rows * columns];
        var blocks = (features.Rows + RowsPerBlock - 1) / RowsPerBlock;
        Parallel.For(0, blocks, () => new DenseNetwork.Workspace(_network, RowsPerBlock), (block, _, workspace) =>
        {
            var first = block * RowsPerBlock;
            var count = Math.Min(RowsPerBlock, features.Rows - first);
            var input = workspace.Input.AsSpan(0, count * columns);
            var values = features.Values.AsSpan(first * columns, count * columns);
            for (var r = 0; r < count; r++)
                for (var i = 0; i < columns; i++)
                    input[i * count + r] = (values[r * columns + i] - _mean[i]) / _scale[i];

            _network.Forward(_parameters, workspace, count);

            var squared = workspace.Delta.AsSpan(0, count * columns);
            TensorPrimitives.Subtract(workspace.Output.AsSpan(0, count * columns), input, squared);
            TensorPrimitives.Multiply(squared, squared, squared);
            var sums = workspace.PreviousDelta.AsSpan(0, count);
            squared[..count].CopyTo(sums);
            for (var i = 1; i < columns; i++) TensorPrimitives.Add(sums, squared.Slice(i * count, count), sums);
            TensorPrimitives.Multiply(sums, 1f / columns, scores.AsSpan(first, count));

            var target = contributions.AsSpan(first * columns, count * columns);
            for (var r = 0; r < count; r++)
                for (var i = 0; i < columns; i++)
                    target[r * columns + i] = squared[i * count + r];
            return workspace;
        }, _ => { });
        return new DetectorScores(scores, contributions);
    }

    public string ToJson() => JsonSerializer.Serialize(new AutoencoderDocument
    {
        Detector = DetectorName,
        Version = FormatVersion,
        FeatureNames = [.. FeatureNames],
        InputMean = [.. _mean],
        InputScale = [.. _scale],
        Layers = [.. Layers.Select(l => new LayerDocument
        {
            Inputs = l.Inputs,
            Outputs = l.Outputs,
            Relu = l.Relu,
            Weights = l.Weights.ToArray(),
            Bias = l.Bias.ToArray(),
        })],
        Options = Options,
        Training = Training,
    }, JsonOptions);

    /// <summary>Reads what <see cref="ToJson"/> wrote: the same parameters, so the same scores bit for bit. Checks the shapes.</summary>
    public static Autoencoder FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        AutoencoderDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<AutoencoderDocument>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Not an autoencoder document: {e.Message}", nameof(json), e);
        }
        if (document is null || document.Detector != DetectorName)
            throw new ArgumentException($"Not an autoencoder document (detector '{document?.Detector}').", nameof(json));
        if (document.Version != FormatVersion)
            throw new ArgumentException($"Autoencoder document version {document.Version} is not supported (expected {FormatVersion}).", nameof(json));
        if (document.FeatureNames is not { Length: > 0 } names)
            throw new ArgumentException("The autoencoder document has no feature names.", nameof(json));
        if (document.Layers is not { Length: > 0 } layers)
            throw new ArgumentException("The autoencoder document has no layers.", nameof(json));
        if (document.InputMean?.Length != names.Length || document.InputScale?.Length != names.Length)
            throw new ArgumentException($"The autoencoder document needs {names.Length} input means and scales.", nameof(json));
        if (document.InputScale.Any(s => !(s > 0) || !float.IsFinite(s)) || document.InputMean.Any(m => !float.IsFinite(m)))
            throw new ArgumentException("The autoencoder document's input means must be finite and its scales finite and positive.", nameof(json));
        if (document.Training is null)
            throw new ArgumentException("The autoencoder document has no training report.", nameof(json));

        var widths = new int[layers.Length + 1];
        widths[0] = names.Length;
        for (var l = 0; l < layers.Length; l++)
        {
            var layer = layers[l];
            if (layer.Inputs != widths[l])
                throw new ArgumentException($"Layer {l} takes {layer.Inputs} inputs but the previous layer gives {widths[l]}.", nameof(json));
            if (layer.Outputs < 1)
                throw new ArgumentException($"Layer {l} has {layer.Outputs} outputs.", nameof(json));
            if (layer.Weights?.Length != layer.Inputs * layer.Outputs || layer.Bias?.Length != layer.Outputs)
                throw new ArgumentException($"Layer {l} ({layer.Inputs} -> {layer.Outputs}) needs {layer.Inputs * layer.Outputs} weights and {layer.Outputs} biases.", nameof(json));
            if (layer.Weights.Any(w => !float.IsFinite(w)) || layer.Bias.Any(b => !float.IsFinite(b)))
                throw new ArgumentException($"Layer {l} has a weight or bias that is not a finite number.", nameof(json));
            widths[l + 1] = layer.Outputs;
        }
        if (widths[^1] != names.Length)
            throw new ArgumentException($"The last layer gives {widths[^1]} outputs; a reconstruction needs {names.Length}.", nameof(json));

        var network = new DenseNetwork(widths, [.. layers.Select(l => l.Relu)]);
        var parameters = new float[network.ParameterCount];
        for (var l = 0; l < layers.Length; l++)
        {
            layers[l].Weights!.CopyTo(parameters, network.Layers[l].WeightOffset);
            layers[l].Bias!.CopyTo(parameters, network.Layers[l].BiasOffset);
        }
        return new Autoencoder(names, network, parameters, document.InputMean, document.InputScale,
            document.Options ?? new AutoencoderOptions(), document.Training);
    }

    private void CheckFeatures(FeatureMatrix features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Columns != FeatureNames.Count)
            throw new ArgumentException(
                $"The autoencoder was trained on {FeatureNames.Count} features; the matrix has {features.Columns}.", nameof(features));
        for (var f = 0; f < FeatureNames.Count; f++)
            if (!string.Equals(features.FeatureNames[f], FeatureNames[f], StringComparison.Ordinal))
                throw new ArgumentException(
                    $"Feature {f} is '{features.FeatureNames[f]}' but the autoencoder was trained with '{FeatureNames[f]}' there.", nameof(features));
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private sealed class AutoencoderDocument
    {
        public string? Detector { get; init; }
        public int Version { get; init; }
        public string[]? FeatureNames { get; init; }
        public float[]? InputMean { get; init; }
        public float[]? InputScale { get; init; }
        public LayerDocument[]? Layers { get; init; }
        public AutoencoderOptions? Options { get; init; }
        public TrainingReport? Training { get; init; }
    }

    private sealed class LayerDocument
    {
        public int Inputs { get; init; }
        public int Outputs { get; init; }
        public bool Relu { get; init; }
        public float[]? Weights { get; init; }
        public float[]? Bias { get; init; }
    }
}
