using Vigil.Scoring.Onnx.Export;
using Vigil.Scoring.Onnx.Proto;
using Vigil.Scoring.Onnx.Runtime;

namespace Vigil.Scoring.UnitTests.Onnx;

public sealed class OnnxRuntimeBindingTests
{
    [Fact]
    public void The_library_reports_its_version_through_OrtApiBase()
    {
        Assert.Equal("1.30.0", NativeOnnxRuntime.Library.Version);
    }

    [Theory]
    [InlineData(OrtErrorCode.InvalidArgument, "width is wrong")]
    [InlineData(OrtErrorCode.EngineError, "ünïcödé message")]
    public void A_status_made_through_the_table_reads_back_its_code_and_message(OrtErrorCode code, string message)
    {
        var error = NativeOnnxRuntime.Library.RoundTripStatus(code, message);

        Assert.Equal(code, error.Code);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void The_available_providers_come_back_from_the_table_with_the_CPU_provider_last()
    {
        var providers = NativeOnnxRuntime.Library.AvailableProviders;

        // ONNX Runtime lists providers by priority, the CPU fallback last.
        Assert.Equal("CPUExecutionProvider", providers[^1]);
        Assert.All(providers, p => Assert.EndsWith("ExecutionProvider", p));
    }

    [Fact]
    public void A_session_reports_names_types_and_shapes_with_symbolic_rows()
    {
        using var session = NativeOnnxRuntime.CpuHost.CreateSession(Doubler(width: 3));

        var input = Assert.Single(session.Inputs);
        Assert.Equal("x", input.Name);
        Assert.Equal(TensorProto.Types.DataType.Float, input.ElementType);
        Assert.Equal([-1L, 3L], input.Shape);
        Assert.Equal("N", input.SymbolicDimensions[0]);
        Assert.Equal("y", Assert.Single(session.Outputs).Name);
    }

    [Fact]
    public void Run_reads_pinned_input_in_place_and_returns_the_output()
    {
        using var session = NativeOnnxRuntime.CpuHost.CreateSession(Doubler(width: 2));
        var data = new float[] { 9, 9, 1, -2, 3.5f, 0, 9 };

        var output = Assert.Single(session.Run(data.AsMemory(2, 4), [2, 2]));

        Assert.Equal([2L, 2L], output.Shape);
        Assert.Equal([2f, -4f, 7f, 0f], output.Values);
    }

    [Fact]
    public void Run_writes_into_caller_buffers()
    {
        using var session = NativeOnnxRuntime.CpuHost.CreateSession(Doubler(width: 2));
        var target = new float[6];

        session.Run(new float[] { 1, 2, 3, 4 }, [2, 2], [new OnnxOutputBuffer(target.AsMemory(1, 4), [2, 2])]);

        Assert.Equal([0f, 2f, 4f, 6f, 8f, 0f], target);
    }

    [Fact]
    public void A_wrong_input_width_is_ONNX_Runtimes_clear_error_not_a_crash()
    {
        using var session = NativeOnnxRuntime.CpuHost.CreateSession(Doubler(width: 3));

        var error = Assert.Throws<OnnxRuntimeException>(() => session.Run(new float[4], [2, 2]));

        Assert.Equal(OrtErrorCode.InvalidArgument, error.Code);
        Assert.Contains("dimension", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_shape_that_does_not_match_the_buffer_is_refused_before_native_code()
    {
        using var session = NativeOnnxRuntime.CpuHost.CreateSession(Doubler(width: 2));

        var error = Assert.Throws<ArgumentException>(() => session.Run(new float[5], [3, 2]));

        Assert.Contains("needs 6 values", error.Message);
    }

    [Fact]
    public void A_disposed_session_refuses_to_run()
    {
        var session = NativeOnnxRuntime.CpuHost.CreateSession(Doubler(width: 1));
        session.Dispose();

        Assert.Throws<ObjectDisposedException>(() => session.Run(new float[1], [1, 1]));
    }

    [Fact]
    public void A_session_keeps_working_after_its_host_is_disposed_and_disposes_twice_safely()
    {
        var host = new OnnxRuntimeHost(NativeOnnxRuntime.Path, DeviceRequest.Cpu);
        var session = host.CreateSession(Doubler(width: 1));
        host.Dispose();

        var output = session.Run(new float[] { 3 }, [1, 1]);
        session.Dispose();
        session.Dispose();

        Assert.Equal([6f], output[0].Values);
    }

    /// <summary>y = x * 2 over [N, width].</summary>
    internal static byte[] Doubler(int width)
    {
        var graph = new OnnxGraphBuilder("doubler");
        var x = graph.Input("x", width);
        graph.Node("Mul", [x, graph.Scalar("two", 2f)], "y");
        graph.Output("y", width);
        return graph.ToBytes("test");
    }
}
