using System.Runtime.InteropServices;

namespace Vigil.Scoring.Onnx.Runtime;

/// <summary>
/// The entries of the C API's OrtApi function table that the scorer uses, read at their indices. The table is
/// append-only across releases (onnxruntime_c_api.h), so an index found in any header since 1.16 holds for 1.30 and
/// later builds alike; <see cref="ApiVersion"/> is the version the table is requested at.
/// </summary>
internal sealed unsafe class OrtApi
{
    /// <summary>ORT_API_VERSION asked for: 16 (ONNX Runtime 1.16) has every entry below, so any later build serves it.</summary>
    public const uint ApiVersion = 16;

    public readonly delegate* unmanaged[Cdecl]<int, byte*, nint> CreateStatus;
    public readonly delegate* unmanaged[Cdecl]<nint, int> GetErrorCode;
    public readonly delegate* unmanaged[Cdecl]<nint, byte*> GetErrorMessage;
    public readonly delegate* unmanaged[Cdecl]<int, byte*, nint*, nint> CreateEnv;
    public readonly delegate* unmanaged[Cdecl]<nint, void*, nuint, nint, nint*, nint> CreateSessionFromArray;
    public readonly delegate* unmanaged[Cdecl]<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint> Run;
    public readonly delegate* unmanaged[Cdecl]<nint*, nint> CreateSessionOptions;
    public readonly delegate* unmanaged[Cdecl]<nint, int, nint> SetSessionGraphOptimizationLevel;
    public readonly delegate* unmanaged[Cdecl]<nint, int, nint> SetIntraOpNumThreads;
    public readonly delegate* unmanaged[Cdecl]<nint, int, nint> SetInterOpNumThreads;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint*, nint> SessionGetInputCount;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint*, nint> SessionGetOutputCount;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint> SessionGetInputTypeInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint> SessionGetOutputTypeInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint, nint, byte**, nint> SessionGetInputName;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint, nint, byte**, nint> SessionGetOutputName;
    public readonly delegate* unmanaged[Cdecl]<nint, void*, nuint, long*, nuint, int, nint*, nint> CreateTensorWithDataAsOrtValue;
    public readonly delegate* unmanaged[Cdecl]<nint, void**, nint> GetTensorMutableData;
    public readonly delegate* unmanaged[Cdecl]<nint, nint*, nint> CastTypeInfoToTensorInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, int*, nint> GetOnnxTypeFromTypeInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, int*, nint> GetTensorElementType;
    public readonly delegate* unmanaged[Cdecl]<nint, nuint*, nint> GetDimensionsCount;
    public readonly delegate* unmanaged[Cdecl]<nint, long*, nuint, nint> GetDimensions;
    public readonly delegate* unmanaged[Cdecl]<nint, byte**, nuint, nint> GetSymbolicDimensions;
    public readonly delegate* unmanaged[Cdecl]<nint, nint*, nint> GetTensorTypeAndShape;
    public readonly delegate* unmanaged[Cdecl]<int, int, nint*, nint> CreateCpuMemoryInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, void*, nint> AllocatorFree;
    public readonly delegate* unmanaged[Cdecl]<nint*, nint> GetAllocatorWithDefaultOptions;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseEnv;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseStatus;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseMemoryInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseSession;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseValue;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseTypeInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseTensorTypeAndShapeInfo;
    public readonly delegate* unmanaged[Cdecl]<nint, void> ReleaseSessionOptions;
    public readonly delegate* unmanaged[Cdecl]<byte***, int*, nint> GetAvailableProviders;
    public readonly delegate* unmanaged[Cdecl]<byte**, int, nint> ReleaseAvailableProviders;

    public OrtApi(nint table)
    {
        var entries = (nint*)table;
        CreateStatus = (delegate* unmanaged[Cdecl]<int, byte*, nint>)entries[0];
        GetErrorCode = (delegate* unmanaged[Cdecl]<nint, int>)entries[1];
        GetErrorMessage = (delegate* unmanaged[Cdecl]<nint, byte*>)entries[2];
        CreateEnv = (delegate* unmanaged[Cdecl]<int, byte*, nint*, nint>)entries[3];
        CreateSessionFromArray = (delegate* unmanaged[Cdecl]<nint, void*, nuint, nint, nint*, nint>)entries[8];
        Run = (delegate* unmanaged[Cdecl]<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint>)entries[9];
        CreateSessionOptions = (delegate* unmanaged[Cdecl]<nint*, nint>)entries[10];
        SetSessionGraphOptimizationLevel = (delegate* unmanaged[Cdecl]<nint, int, nint>)entries[23];
        SetIntraOpNumThreads = (delegate* unmanaged[Cdecl]<nint, int, nint>)entries[24];
        SetInterOpNumThreads = (delegate* unmanaged[Cdecl]<nint, int, nint>)entries[25];
        SessionGetInputCount = (delegate* unmanaged[Cdecl]<nint, nuint*, nint>)entries[30];
        SessionGetOutputCount = (delegate* unmanaged[Cdecl]<nint, nuint*, nint>)entries[31];
        SessionGetInputTypeInfo = (delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint>)entries[33];
        SessionGetOutputTypeInfo = (delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint>)entries[34];
        SessionGetInputName = (delegate* unmanaged[Cdecl]<nint, nuint, nint, byte**, nint>)entries[36];
        SessionGetOutputName = (delegate* unmanaged[Cdecl]<nint, nuint, nint, byte**, nint>)entries[37];
        CreateTensorWithDataAsOrtValue = (delegate* unmanaged[Cdecl]<nint, void*, nuint, long*, nuint, int, nint*, nint>)entries[49];
        GetTensorMutableData = (delegate* unmanaged[Cdecl]<nint, void**, nint>)entries[51];
        CastTypeInfoToTensorInfo = (delegate* unmanaged[Cdecl]<nint, nint*, nint>)entries[55];
        GetOnnxTypeFromTypeInfo = (delegate* unmanaged[Cdecl]<nint, int*, nint>)entries[56];
        GetTensorElementType = (delegate* unmanaged[Cdecl]<nint, int*, nint>)entries[60];
        GetDimensionsCount = (delegate* unmanaged[Cdecl]<nint, nuint*, nint>)entries[61];
        GetDimensions = (delegate* unmanaged[Cdecl]<nint, long*, nuint, nint>)entries[62];
        GetSymbolicDimensions = (delegate* unmanaged[Cdecl]<nint, byte**, nuint, nint>)entries[63];
        GetTensorTypeAndShape = (delegate* unmanaged[Cdecl]<nint, nint*, nint>)entries[65];
        CreateCpuMemoryInfo = (delegate* unmanaged[Cdecl]<int, int, nint*, nint>)entries[69];
        AllocatorFree = (delegate* unmanaged[Cdecl]<nint, void*, nint>)entries[76];
        GetAllocatorWithDefaultOptions = (delegate* unmanaged[Cdecl]<nint*, nint>)entries[78];
        ReleaseEnv = (delegate* unmanaged[Cdecl]<nint, void>)entries[92];
        ReleaseStatus = (delegate* unmanaged[Cdecl]<nint, void>)entries[93];
        ReleaseMemoryInfo = (delegate* unmanaged[Cdecl]<nint, void>)entries[94];
        ReleaseSession = (delegate* unmanaged[Cdecl]<nint, void>)entries[95];
        ReleaseValue = (delegate* unmanaged[Cdecl]<nint, void>)entries[96];
        ReleaseTypeInfo = (delegate* unmanaged[Cdecl]<nint, void>)entries[98];
        ReleaseTensorTypeAndShapeInfo = (delegate* unmanaged[Cdecl]<nint, void>)entries[99];
        ReleaseSessionOptions = (delegate* unmanaged[Cdecl]<nint, void>)entries[100];
        GetAvailableProviders = (delegate* unmanaged[Cdecl]<byte***, int*, nint>)entries[125];
        ReleaseAvailableProviders = (delegate* unmanaged[Cdecl]<byte**, int, nint>)entries[126];
    }

    /// <summary>Throws the error an OrtStatus* carries (and frees it); a null status is success.</summary>
    public void Check(nint status)
    {
        if (status == 0) return;
        throw TakeError(status);
    }

    /// <summary>The exception for a non-null status, which is released here.</summary>
    public OnnxRuntimeException TakeError(nint status)
    {
        try
        {
            var code = (OrtErrorCode)GetErrorCode(status);
            var message = Marshal.PtrToStringUTF8((nint)GetErrorMessage(status)) ?? "(no message)";
            return new OnnxRuntimeException(code, $"ONNX Runtime: {message} ({code})");
        }
        finally
        {
            ReleaseStatus(status);
        }
    }

    /// <summary>A string the default allocator handed out, copied and freed.</summary>
    public string TakeAllocatedString(nint allocator, byte* value)
    {
        try
        {
            return Marshal.PtrToStringUTF8((nint)value) ?? "";
        }
        finally
        {
            if (value is not null) Check(AllocatorFree(allocator, value));
        }
    }
}
