using System.Diagnostics;
using System.Numerics.Tensors;
using Vigil.Scoring.Features;

namespace Vigil.Scoring.Detectors.Neural;

/// <summary>
/// Mini-batch Adam on the mean squared reconstruction error, with early stopping on a held-out split.
/// A batch is cut into fixed chunks of <see cref="ChunkRows"/> rows whose gradients are computed in parallel, each into
/// its own buffer, and summed in chunk order: the result does not depend on the number of cores or the scheduling.
/// </summary>
internal static class AutoencoderTrainer
{
    public const int ChunkRows = 64;
    public const int EvaluationRows = 256;

    private const float Beta1 = 0.9f;
    private const float Beta2 = 0.999f;
    private const float Epsilon = 1e-8f;

    public static TrainedNetwork Train(FeatureMatrix data, AutoencoderOptions options)
    {
        var stopwatch = Stopwatch.StartNew();
        var features = data.Columns;
        var random = new TrainingRandom(options.Seed);

        // Held-out rows first, drawn from the seed; the rest train.
        var order = new int[data.Rows];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        random.Shuffle(order);
        var validationCount = Math.Clamp((int)Math.Round(data.Rows * options.ValidationSplit), 1, data.Rows - 1);
        var validation = order[..validationCount];
        var training = order[validationCount..];
        Array.Sort(validation); // sequential reads when evaluating

        var (mean, scale) = Standardisation(data, training);
        int[] widths = [features, .. options.HiddenLayers, features];
        var network = new DenseNetwork(widths, [.. widths.Skip(1).Select((_, l) => l < widths.Length - 2)]);
        var parameters = HeInitialisation(network, ref random);
        var best = (float[])parameters.Clone();

        var chunks = (Math.Min(options.BatchSize, training.Length) + ChunkRows - 1) / ChunkRows;
        var workspaces = new DenseNetwork.Workspace[chunks];
        var gradients = new float[chunks][];
        var chunkErrors = new double[chunks];
        for (var c = 0; c < chunks; c++)
        {
            workspaces[c] = new DenseNetwork.Workspace(network, ChunkRows);
            gradients[c] = new float[network.ParameterCount];
        }
        var gradient = new float[network.ParameterCount];
        var adamM = new float[network.ParameterCount];
        var adamV = new float[network.ParameterCount];
        var step = 0;

        var epochRows = Math.Min(options.RowsPerEpoch ?? training.Length, training.Length);
        var epoch = new int[epochRows];
        var cursor = training.Length; // forces a shuffle before the first epoch
        var trainLoss = new List<double>();
        var validationLoss = new List<double>();
        var bestLoss = double.PositiveInfinity;
        var bestEpoch = 0;

        for (var e = 1; e <= options.MaxEpochs; e++)
        {
            // This epoch's rows: the next slice of a shuffled pass over the training rows, reshuffled when a pass ends.
            for (var filled = 0; filled < epochRows;)
            {
                if (cursor == training.Length)
                {
                    random.Shuffle(training);
                    cursor = 0;
                }
                var take = Math.Min(epochRows - filled, training.Length - cursor);
                training.AsSpan(cursor, take).CopyTo(epoch.AsSpan(filled));
                filled += take;
                cursor += take;
            }

            double epochErrors = 0;
            for (var start = 0; start < epochRows; start += options.BatchSize)
            {
                var batch = epoch.AsMemory(start, Math.Min(options.BatchSize, epochRows - start));
                var lossScale = 1f / (batch.Length * features);
                var batchChunks = (batch.Length + ChunkRows - 1) / ChunkRows;
                Parallel.For(0, batchChunks, c =>
                {
                    var rows = batch.Span.Slice(c * ChunkRows, Math.Min(ChunkRows, batch.Length - c * ChunkRows));
                    var workspace = workspaces[c];
                    Standardise(data, rows, mean, scale, workspace.Input);
                    network.Forward(parameters, workspace, rows.Length);
                    chunkErrors[c] = network.Backward(parameters, workspace, rows.Length, lossScale, gradients[c]);
                });
                gradients[0].CopyTo(gradient, 0);
                epochErrors += chunkErrors[0];
                for (var c = 1; c < batchChunks; c++)
                {
                    TensorPrimitives.Add(gradient, gradients[c], gradient);
                    epochErrors += chunkErrors[c];
                }
                AdamStep(network, parameters, gradient, adamM, adamV, ++step, options);
            }
            trainLoss.Add(epochErrors / ((double)epochRows * features));

            var loss = MeanSquaredError(data, validation, mean, scale, network, parameters);
            validationLoss.Add(loss);
            if (loss < bestLoss)
            {
                bestLoss = loss;
                bestEpoch = e;
                parameters.CopyTo(best, 0);
            }
            else if (e - bestEpoch >= options.Patience)
            {
                break;
            }
        }

        return new TrainedNetwork(network, best, mean, scale, new TrainingReport
        {
            Epochs = trainLoss.Count,
            BestEpoch = bestEpoch,
            BestValidationLoss = bestLoss,
            TrainLoss = trainLoss,
            ValidationLoss = validationLoss,
            TrainingRows = training.Length,
            ValidationRows = validation.Length,
            Elapsed = stopwatch.Elapsed,
        });
    }

    /// <summary>Mean squared error per value of the given rows, from blocks evaluated in parallel and summed in block order.</summary>
    public static double MeanSquaredError(FeatureMatrix data, int[] rows, float[] mean, float[] scale, DenseNetwork network, float[] parameters)
    {
        var blocks = (rows.Length + EvaluationRows - 1) / EvaluationRows;
        var errors = new double[blocks];
        Parallel.For(0, blocks, () => new DenseNetwork.Workspace(network, EvaluationRows), (b, _, workspace) =>
        {
            var block = rows.AsSpan(b * EvaluationRows, Math.Min(EvaluationRows, rows.Length - b * EvaluationRows));
            Standardise(data, block, mean, scale, workspace.Input);
            network.Forward(parameters, workspace, block.Length);
            var values = block.Length * network.Features;
            var difference = workspace.Delta.AsSpan(0, values);
            TensorPrimitives.Subtract(workspace.Output.AsSpan(0, values), workspace.Input.AsSpan(0, values), difference);
            errors[b] = TensorPrimitives.Dot(difference, difference);
            return workspace;
        }, _ => { });
        double sum = 0;
        foreach (var e in errors) sum += e;
        return sum / ((double)rows.Length * network.Features);
    }

    /// <summary>Writes rows (standardised) feature-major into <paramref name="block"/>: feature i of row r at i * rows + r.</summary>
    public static void Standardise(FeatureMatrix data, ReadOnlySpan<int> rows, float[] mean, float[] scale, Span<float> block)
    {
        var features = data.Columns;
        for (var r = 0; r < rows.Length; r++)
        {
            var row = data.Row(rows[r]);
            for (var i = 0; i < features; i++) block[i * rows.Length + r] = (row[i] - mean[i]) / scale[i];
        }
    }

    private static (float[] Mean, float[] Scale) Standardisation(FeatureMatrix data, int[] rows)
    {
        var features = data.Columns;
        var sum = new double[features];
        foreach (var r in rows)
        {
            var row = data.Row(r);
            for (var i = 0; i < features; i++) sum[i] += row[i];
        }
        var mean = new double[features];
        for (var i = 0; i < features; i++) mean[i] = sum[i] / rows.Length;
        var squares = new double[features];
        foreach (var r in rows)
        {
            var row = data.Row(r);
            for (var i = 0; i < features; i++) squares[i] += (row[i] - mean[i]) * (row[i] - mean[i]);
        }
        var meanOut = new float[features];
        var scaleOut = new float[features];
        for (var i = 0; i < features; i++)
        {
            meanOut[i] = (float)mean[i];
            var deviation = (float)Math.Sqrt(squares[i] / rows.Length);
            // A constant feature is only centred; dividing by ~0 would turn rounding noise into huge errors.
            scaleOut[i] = deviation > 1e-6f * Math.Max(1f, Math.Abs(meanOut[i])) ? deviation : 1f;
        }
        return (meanOut, scaleOut);
    }

    /// <summary>He initialisation: weights ~ N(0, 2 / fan-in), biases 0.</summary>
    private static float[] HeInitialisation(DenseNetwork network, ref TrainingRandom random)
    {
        var parameters = new float[network.ParameterCount];
        foreach (var layer in network.Layers)
        {
            var deviation = Math.Sqrt(2.0 / layer.Inputs);
            for (var j = 0; j < layer.Inputs * layer.Outputs; j++)
                parameters[layer.WeightOffset + j] = (float)(random.NextGaussian() * deviation);
        }
        return parameters;
    }

    private static void AdamStep(DenseNetwork network, float[] parameters, float[] gradient, float[] m, float[] v, int step, AutoencoderOptions options)
    {
        if (options.L2 > 0)
        {
            foreach (var layer in network.Layers)
            {
                var weights = layer.Inputs * layer.Outputs;
                TensorPrimitives.MultiplyAdd(parameters.AsSpan(layer.WeightOffset, weights), (float)options.L2,
                    gradient.AsSpan(layer.WeightOffset, weights), gradient.AsSpan(layer.WeightOffset, weights));
            }
        }
        var learningRate = (float)options.LearningRate;
        var correction1 = (float)(1 - Math.Pow(Beta1, step));
        var correction2 = (float)(1 - Math.Pow(Beta2, step));
        for (var j = 0; j < parameters.Length; j++)
        {
            var g = gradient[j];
            m[j] = Beta1 * m[j] + (1 - Beta1) * g;
            v[j] = Beta2 * v[j] + (1 - Beta2) * g * g;
            parameters[j] -= learningRate * (m[j] / correction1) / (MathF.Sqrt(v[j] / correction2) + Epsilon);
        }
    }
}

/// <summary>What training hands to <see cref="Autoencoder"/>: the shape, the kept parameters and the input standardisation.</summary>
internal sealed record TrainedNetwork(DenseNetwork Network, float[] Parameters, float[] Mean, float[] Scale, TrainingReport Report);
