using System.Buffers;
using System.Runtime.InteropServices;
using Vigil.Scoring.Onnx.Proto;

namespace Vigil.Scoring.Onnx.Runtime;

/// <summary>How a session runs: intra-op threads (0 = ONNX Runtime's default, one per core) and whether on CUDA.</summary>
public sealed record OnnxSessionSettings(int IntraOpThreads = 0, bool UseCuda = false, int CudaDeviceId = 0);

/// <summary>
/// One loaded model with a single float input. <see cref="Run(ReadOnlyMemory{float}, ReadOnlySpan{long})"/> is
/// thread-safe (ONNX Runtime allows concurrent runs of a session); inputs are read in place from pinned managed memory.
/// </summary>
public sealed unsafe class OnnxSession : IDisposable
{
    private const int GraphOptimizationAll = 99;

    private readonly OnnxRuntimeLibrary _library;
    private readonly OrtApi _api;
    private readonly OrtSessionHandle _session;
    private readonly NativeUtf8Strings _inputNames;
    private readonly NativeUtf8Strings _outputNames;
    private int _disposed;

    internal OnnxSession(OnnxRuntimeLibrary library, ReadOnlySpan<byte> model, OnnxSessionSettings settings)
    {
        if (model.IsEmpty) throw new OnnxRuntimeException(OrtErrorCode.InvalidProtobuf, "The ONNX model is empty.");
        if (settings.IntraOpThreads < 0) throw new ArgumentOutOfRangeException(nameof(settings), settings.IntraOpThreads, "Intra-op threads must be 0 (default) or more.");
        _library = library;
        _api = library.Api;
        // The environment and the CPU memory description must outlive every session made with them.
        var envReferenced = false;
        var memoryReferenced = false;
        library.Env.DangerousAddRef(ref envReferenced);
        library.CpuMemory.DangerousAddRef(ref memoryReferenced);
        _session = new OrtSessionHandle(_api);
        try
        {
            Start(library, model, settings);
            Inputs = ReadSignature(input: true);
            Outputs = ReadSignature(input: false);
            RequireFloatTensors();
        }
        catch
        {
            _session.Dispose();
            if (envReferenced) library.Env.DangerousRelease();
            if (memoryReferenced) library.CpuMemory.DangerousRelease();
            throw;
        }
        _inputNames = new NativeUtf8Strings([.. Inputs.Select(i => i.Name)]);
        _outputNames = new NativeUtf8Strings([.. Outputs.Select(o => o.Name)]);
        Settings = settings;
    }

    private void Start(OnnxRuntimeLibrary library, ReadOnlySpan<byte> model, OnnxSessionSettings settings)
    {
        using (var options = new OrtSessionOptionsHandle(_api))
        {
            nint raw;
            _api.Check(_api.CreateSessionOptions(&raw));
            options.Own(raw);
            _api.Check(_api.SetSessionGraphOptimizationLevel(options.Pointer, GraphOptimizationAll));
            _api.Check(_api.SetIntraOpNumThreads(options.Pointer, settings.IntraOpThreads));
            _api.Check(_api.SetInterOpNumThreads(options.Pointer, 1));
            if (settings.UseCuda) library.AppendCuda(options, settings.CudaDeviceId);

            nint session;
            fixed (byte* bytes = model)
                _api.Check(_api.CreateSessionFromArray(library.Env.Pointer, bytes, (nuint)model.Length, options.Pointer, &session));
            _session.Own(session);
        }
    }

    private void RequireFloatTensors()
    {
        if (Inputs.Count != 1)
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument, $"The scorer runs models with one input; this one has {Inputs.Count}.");
        if (Inputs[0].ElementType != TensorProto.Types.DataType.Float || Outputs.Any(o => o.ElementType != TensorProto.Types.DataType.Float))
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument,
                $"The scorer runs models with float tensors only; this one has {string.Join(", ", Inputs.Concat(Outputs))}.");
    }

    public IReadOnlyList<OnnxTensorInfo> Inputs { get; private set; } = [];

    public IReadOnlyList<OnnxTensorInfo> Outputs { get; private set; } = [];

    public OnnxSessionSettings Settings { get; }

    /// <summary>Runs the model on <paramref name="input"/> (row-major, of <paramref name="shape"/>); ONNX Runtime allocates the outputs, copied out here.</summary>
    public IReadOnlyList<OnnxTensor> Run(ReadOnlyMemory<float> input, ReadOnlySpan<long> shape)
    {
        var outputs = new nint[Outputs.Count];
        using var pin = input.Pin();
        try
        {
            RunCore(input, shape, pin, outputs);
            var results = new OnnxTensor[outputs.Length];
            for (var o = 0; o < outputs.Length; o++) results[o] = CopyOut(outputs[o]);
            return results;
        }
        finally
        {
            foreach (var value in outputs)
                if (value != 0) _api.ReleaseValue(value);
        }
    }

    /// <summary>
    /// Runs the model writing each output straight into its buffer (no copy): <paramref name="outputs"/> in the order of
    /// <see cref="Outputs"/>, each with the exact shape the model produces for this input. Fewer buffers than outputs
    /// ask for the first outputs only (ONNX Runtime then runs only the nodes those need).
    /// </summary>
    public void Run(ReadOnlyMemory<float> input, ReadOnlySpan<long> shape, ReadOnlySpan<OnnxOutputBuffer> outputs)
    {
        if (outputs.Length is 0 || outputs.Length > Outputs.Count)
            throw new ArgumentException($"The model has {Outputs.Count} outputs; {outputs.Length} buffers were given.", nameof(outputs));
        var values = new OrtValueHandle[outputs.Length];
        var pins = new MemoryHandle[outputs.Length];
        using var pin = input.Pin();
        try
        {
            var raw = new nint[outputs.Length];
            for (var o = 0; o < outputs.Length; o++)
            {
                pins[o] = outputs[o].Buffer.Pin();
                values[o] = CreateTensor(pins[o], outputs[o].Buffer.Length, outputs[o].Shape, Outputs[o].Name);
                raw[o] = values[o].Pointer;
            }
            RunCore(input, shape, pin, raw);
        }
        finally
        {
            foreach (var value in values) value?.Dispose();
            foreach (var p in pins) p.Dispose();
        }
    }

    private void RunCore(ReadOnlyMemory<float> input, ReadOnlySpan<long> shape, MemoryHandle pin, nint[] outputs)
    {
        using var tensor = CreateTensor(pin, input.Length, shape.ToArray(), Inputs[0].Name);
        var inputValue = tensor.Pointer;
        var inputNames = _inputNames.Pointers;
        var outputNames = _outputNames.Pointers;
        fixed (nint* inNames = inputNames)
        fixed (nint* outNames = outputNames)
        fixed (nint* outValues = outputs)
        {
            var success = false;
            _session.DangerousAddRef(ref success);
            try
            {
                _api.Check(_api.Run(_session.Pointer, 0, inNames, &inputValue, 1, outNames, (nuint)outputs.Length, outValues));
            }
            finally
            {
                if (success) _session.DangerousRelease();
            }
        }
    }

    private OrtValueHandle CreateTensor(MemoryHandle pin, int length, long[] shape, string name)
    {
        long elements = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException($"Tensor '{name}' has a negative dimension in [{string.Join(", ", shape)}].", nameof(shape));
            elements *= d;
        }
        if (elements != length)
            throw new ArgumentException($"Tensor '{name}' of shape [{string.Join(", ", shape)}] needs {elements} values; the buffer has {length}.", nameof(shape));
        var value = new OrtValueHandle(_api);
        nint raw;
        fixed (long* dims = shape)
            _api.Check(_api.CreateTensorWithDataAsOrtValue(_library.CpuMemory.Pointer, pin.Pointer, (nuint)((long)length * sizeof(float)),
                dims, (nuint)shape.Length, (int)TensorProto.Types.DataType.Float, &raw));
        value.Own(raw);
        return value;
    }

    private OnnxTensor CopyOut(nint value)
    {
        nint info;
        _api.Check(_api.GetTensorTypeAndShape(value, &info));
        using var shapeHandle = new OrtTensorShapeHandle(_api);
        shapeHandle.Own(info);
        var (type, shape, _) = ReadShape(info);
        if (type != TensorProto.Types.DataType.Float)
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument, $"The model produced a {type} tensor; the scorer reads float tensors.");
        long count = 1;
        foreach (var d in shape) count *= d;
        var values = new float[count];
        void* data;
        _api.Check(_api.GetTensorMutableData(value, &data));
        new ReadOnlySpan<float>(data, values.Length).CopyTo(values);
        return new OnnxTensor(values, shape);
    }

    private List<OnnxTensorInfo> ReadSignature(bool input)
    {
        nuint count;
        _api.Check(input ? _api.SessionGetInputCount(_session.Pointer, &count) : _api.SessionGetOutputCount(_session.Pointer, &count));
        nint allocator;
        _api.Check(_api.GetAllocatorWithDefaultOptions(&allocator));
        var result = new List<OnnxTensorInfo>((int)count);
        for (nuint i = 0; i < count; i++)
        {
            byte* name;
            _api.Check(input ? _api.SessionGetInputName(_session.Pointer, i, allocator, &name) : _api.SessionGetOutputName(_session.Pointer, i, allocator, &name));
            var text = _api.TakeAllocatedString(allocator, name);
            nint typeInfo;
            _api.Check(input ? _api.SessionGetInputTypeInfo(_session.Pointer, i, &typeInfo) : _api.SessionGetOutputTypeInfo(_session.Pointer, i, &typeInfo));
            using var typeHandle = new OrtTypeInfoHandle(_api);
            typeHandle.Own(typeInfo);
            int onnxType;
            _api.Check(_api.GetOnnxTypeFromTypeInfo(typeInfo, &onnxType));
            if (onnxType != 1)
            {
                result.Add(new OnnxTensorInfo(text, TensorProto.Types.DataType.Undefined, [], [], RankKnown: false));
                continue;
            }
            nint tensorInfo;   // owned by the type info
            _api.Check(_api.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo));
            var (type, shape, symbols) = ReadShape(tensorInfo);
            result.Add(new OnnxTensorInfo(text, type, shape, symbols));
        }
        return result;
    }

    private (TensorProto.Types.DataType Type, long[] Shape, string[] Symbols) ReadShape(nint info)
    {
        int type;
        _api.Check(_api.GetTensorElementType(info, &type));
        nuint rank;
        _api.Check(_api.GetDimensionsCount(info, &rank));
        var shape = new long[rank];
        var symbols = new string[rank];
        if (rank > 0)
        {
            var pointers = new nint[rank];
            fixed (long* dims = shape)
                _api.Check(_api.GetDimensions(info, dims, rank));
            fixed (nint* names = pointers)
                _api.Check(_api.GetSymbolicDimensions(info, (byte**)names, rank));
            for (var d = 0; d < symbols.Length; d++) symbols[d] = pointers[d] == 0 ? "" : Marshal.PtrToStringUTF8(pointers[d]) ?? "";
        }
        return ((TensorProto.Types.DataType)type, shape, symbols);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _session.Dispose();
        _inputNames.Dispose();
        _outputNames.Dispose();
        _library.Env.DangerousRelease();
        _library.CpuMemory.DangerousRelease();
    }
}
