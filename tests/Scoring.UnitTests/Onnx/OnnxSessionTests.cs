using Vigil.Scoring.Onnx.Export;
using Vigil.Scoring.Onnx.Proto;
using Vigil.Scoring.Onnx.Runtime;

namespace Vigil.Scoring.UnitTests.Onnx;

public sealed class OnnxSessionTests
{
    [Fact]
    public void The_runtime_is_the_packaged_version_with_the_CPU_provider_last()
    {
        var host = NativeOnnxRuntime.CpuHost;

        Assert.Equal(NativeOnnxRuntime.Version, host.Version);
        // ONNX Runtime lists providers by priority, the CPU fallback last.
        Assert.Equal("CPUExecutionProvider", host.AvailableProviders[^1]);
        Assert.All(host.AvailableProviders, p => Assert.EndsWith("ExecutionProvider", p));
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
    public void A_disposed_session_disposes_again_safely()
    {
        var session = NativeOnnxRuntime.CpuHost.CreateSession(Doubler(width: 1));
        var output = session.Run(new float[] { 3 }, [1, 1]);

        session.Dispose();
        session.Dispose();

        Assert.Equal([6f], output[0].Values);
    }

    [Fact]
    public void Concurrent_runs_of_one_session_each_get_their_own_result()
    {
        using var session = NativeOnnxRuntime.CpuHost.CreateSession(Doubler(width: 1));

        var results = Enumerable.Range(0, 64).AsParallel().Select(i => session.Run(new float[] { i }, [1, 1])[0].Values[0]).ToArray();

        Assert.Equal(Enumerable.Range(0, 64).Select(i => 2f * i), results);
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
