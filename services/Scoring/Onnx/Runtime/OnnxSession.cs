using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Vigil.Scoring.Onnx.Proto;

namespace Vigil.Scoring.Onnx.Runtime;

/// <summary>How a session runs: intra-op threads (0 = ONNX Runtime's default, one per core) and whether on CUDA.</summary>
public sealed record OnnxSessionSettings(int IntraOpThreads = 0, bool UseCuda = false, int CudaDeviceId = 0);

/// <summary>
/// One loaded model with a single float input, on ONNX Runtime's managed API. Runs are thread-safe (ONNX Runtime allows
/// concurrent runs of a session); inputs and caller-given outputs are used in place, as tensors over managed memory.
/// </summary>
public sealed class OnnxSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    /// <summary>The first k output names for k = 1..outputs, so a run asking for fewer outputs allocates no list.</summary>
    private readonly string[][] _outputPrefixes;
    private int _disposed;

    internal OnnxSession(ReadOnlySpan<byte> model, OnnxSessionSettings settings)
    {
        if (model.IsEmpty) throw new OnnxRuntimeException(OrtErrorCode.InvalidProtobuf, "The ONNX model is empty.");
        if (settings.IntraOpThreads < 0) throw new ArgumentOutOfRangeException(nameof(settings), settings.IntraOpThreads, "Intra-op threads must be 0 (default) or more.");
        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = settings.IntraOpThreads,
            InterOpNumThreads = 1,
        };
        // ONNX Runtime's intra-op threads spin after each run waiting for the next one; a batch alternates between its
        // runs and managed work (features, the forest, explanations) that needs those cores, so they sleep instead.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        try
        {
            if (settings.UseCuda) options.AppendExecutionProvider_CUDA(settings.CudaDeviceId);
            _session = new InferenceSession(model.ToArray(), options);
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e)
        {
            _runOptions.Dispose();
            throw OnnxRuntimeException.From(e);
        }
        try
        {
            Inputs = Describe(_session.InputNames, _session.InputMetadata);
            Outputs = Describe(_session.OutputNames, _session.OutputMetadata);
            RequireFloatTensors();
        }
        catch
        {
            Dispose();
            throw;
        }
        _inputNames = [Inputs[0].Name];
        _outputPrefixes = [.. Enumerable.Range(1, Outputs.Count).Select(k => Outputs.Take(k).Select(o => o.Name).ToArray())];
        Settings = settings;
    }

    public IReadOnlyList<OnnxTensorInfo> Inputs { get; }

    public IReadOnlyList<OnnxTensorInfo> Outputs { get; }

    public OnnxSessionSettings Settings { get; } = new();

    /// <summary>Runs the model on <paramref name="input"/> (row-major, of <paramref name="shape"/>); ONNX Runtime allocates the outputs, copied out here.</summary>
    public IReadOnlyList<OnnxTensor> Run(ReadOnlyMemory<float> input, ReadOnlySpan<long> shape)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        using var tensor = Tensor(input, shape.ToArray(), Inputs[0].Name);
        try
        {
            using var results = _session.Run(_runOptions, _inputNames, [tensor], _outputPrefixes[^1]);
            return [.. results.Select(CopyOut)];
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e)
        {
            throw OnnxRuntimeException.From(e);
        }
    }

    /// <summary>
    /// Runs the model writing each output straight into its buffer (no copy): <paramref name="outputs"/> in the order of
    /// <see cref="Outputs"/>, each with the exact shape the model produces for this input. Fewer buffers than outputs
    /// ask for the first outputs only (ONNX Runtime then runs only the nodes those need).
    /// </summary>
    public void Run(ReadOnlyMemory<float> input, ReadOnlySpan<long> shape, ReadOnlySpan<OnnxOutputBuffer> outputs)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (outputs.Length is 0 || outputs.Length > Outputs.Count)
            throw new ArgumentException($"The model has {Outputs.Count} outputs; {outputs.Length} buffers were given.", nameof(outputs));
        var values = new OrtValue[outputs.Length];
        try
        {
            for (var o = 0; o < outputs.Length; o++)
                values[o] = Tensor(outputs[o].Buffer, outputs[o].Shape, Outputs[o].Name);
            using var tensor = Tensor(input, shape.ToArray(), Inputs[0].Name);
            _session.Run(_runOptions, _inputNames, [tensor], _outputPrefixes[outputs.Length - 1], values);
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e)
        {
            throw OnnxRuntimeException.From(e);
        }
        finally
        {
            foreach (var value in values) value?.Dispose();
        }
    }

    /// <summary>A tensor over the caller's memory (pinned while the value lives); ONNX Runtime never writes an input.</summary>
    private static OrtValue Tensor(ReadOnlyMemory<float> memory, long[] shape, string name)
    {
        long elements = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException($"Tensor '{name}' has a negative dimension in [{string.Join(", ", shape)}].", nameof(shape));
            elements *= d;
        }
        if (elements != memory.Length)
            throw new ArgumentException($"Tensor '{name}' of shape [{string.Join(", ", shape)}] needs {elements} values; the buffer has {memory.Length}.", nameof(shape));
        return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, MemoryMarshal.AsMemory(memory), shape);
    }

    private static OnnxTensor CopyOut(OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        if (info.ElementDataType != TensorElementType.Float)
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument, $"The model produced a {info.ElementDataType} tensor; the scorer reads float tensors.");
        return new OnnxTensor(value.GetTensorDataAsSpan<float>().ToArray(), info.Shape);
    }

    private static List<OnnxTensorInfo> Describe(IReadOnlyList<string> names, IReadOnlyDictionary<string, NodeMetadata> metadata) =>
        [.. names.Select(name => metadata[name] is { IsTensor: true } node
            ? new OnnxTensorInfo(name, (TensorProto.Types.DataType)node.ElementDataType, [.. node.Dimensions.Select(d => (long)d)],
                [.. node.SymbolicDimensions.Select(s => s ?? "")])
            : new OnnxTensorInfo(name, TensorProto.Types.DataType.Undefined, [], [], RankKnown: false))];

    private void RequireFloatTensors()
    {
        if (Inputs.Count != 1)
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument, $"The scorer runs models with one input; this one has {Inputs.Count}.");
        if (Inputs[0].ElementType != TensorProto.Types.DataType.Float || Outputs.Any(o => o.ElementType != TensorProto.Types.DataType.Float))
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument,
                $"The scorer runs models with float tensors only; this one has {string.Join(", ", Inputs.Concat(Outputs))}.");
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _session.Dispose();
        _runOptions.Dispose();
    }
}
