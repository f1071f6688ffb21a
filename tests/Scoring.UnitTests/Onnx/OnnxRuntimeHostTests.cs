using Vigil.Scoring.Onnx.Runtime;

namespace Vigil.Scoring.UnitTests.Onnx;

public sealed class OnnxRuntimeHostTests
{
    [Fact]
    public void A_missing_native_library_leaves_the_host_unavailable_with_the_path_in_the_reason()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-dir-{Guid.NewGuid():N}", "libonnxruntime.so.1");

        using var host = new OnnxRuntimeHost(path, DeviceRequest.Auto);

        Assert.False(host.IsAvailable);
        Assert.Contains("not found", host.FailureReason);
        Assert.Contains(path, host.FailureReason);
        Assert.Null(host.Device);
        var error = Assert.Throws<OnnxRuntimeException>(() => host.CreateSession([1, 2, 3]));
        Assert.Equal(host.FailureReason, error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_shared_library_is_reported_not_loaded()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "not an ELF file");
        try
        {
            using var host = new OnnxRuntimeHost(path, DeviceRequest.Cpu);

            Assert.False(host.IsAvailable);
            Assert.Contains("could not be loaded", host.FailureReason);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void No_configured_library_is_reported_as_such()
    {
        using var host = new OnnxRuntimeHost(null, DeviceRequest.Auto);

        Assert.False(host.IsAvailable);
        Assert.Contains("LibraryPath", host.FailureReason);
    }

    [Fact]
    public void The_CPU_device_is_described_with_the_runtime_version_and_threads()
    {
        using var host = new OnnxRuntimeHost(NativeOnnxRuntime.Path, DeviceRequest.Cpu, intraOpThreads: 3);

        Assert.True(host.IsAvailable, host.FailureReason);
        Assert.Equal(ScoringDevice.CpuKind, host.Device!.Kind);
        Assert.Equal("cpu (ONNX Runtime 1.30.0, 3 threads)", host.Device.Description);
        Assert.Null(host.Device.FallbackReason);
    }

    [NoCudaFact]
    public void Cuda_requested_where_it_cannot_run_makes_the_host_unavailable_with_the_reason()
    {
        using var host = new OnnxRuntimeHost(NativeOnnxRuntime.Path, DeviceRequest.Cuda);

        Assert.False(host.IsAvailable);
        Assert.StartsWith("Scoring:Device is cuda, but ", host.FailureReason);
        Assert.Contains("CUDA", host.FailureReason);
        var error = Assert.Throws<OnnxRuntimeException>(() => host.CreateSession(OnnxRuntimeBindingTests.Doubler(1)));
        Assert.Contains("cuda", error.Message);
    }

    [NoCudaFact]
    public void Auto_falls_back_to_the_CPU_and_keeps_the_reason()
    {
        using var host = new OnnxRuntimeHost(NativeOnnxRuntime.Path, DeviceRequest.Auto);

        Assert.True(host.IsAvailable, host.FailureReason);
        Assert.Equal(ScoringDevice.CpuKind, host.Device!.Kind);
        Assert.Contains("CUDA", host.Device.FallbackReason);
        using var session = host.CreateSession(OnnxRuntimeBindingTests.Doubler(1));
        Assert.Equal([4f], session.Run(new float[] { 2 }, [1, 1])[0].Values);
    }

    [Theory]
    [InlineData("auto", DeviceRequest.Auto)]
    [InlineData(null, DeviceRequest.Auto)]
    [InlineData(" CPU ", DeviceRequest.Cpu)]
    [InlineData("cuda", DeviceRequest.Cuda)]
    public void The_device_option_is_read_case_insensitively(string? option, DeviceRequest expected) =>
        Assert.Equal(expected, ScoringDevice.Parse(option));

    [Fact]
    public void An_unknown_device_option_is_refused_with_the_choices()
    {
        var error = Assert.Throws<ArgumentException>(() => ScoringDevice.Parse("tpu"));

        Assert.Contains("auto, cpu or cuda", error.Message);
    }

    [Theory]
    [InlineData("NVIDIA H100 80GB HBM3, 81559\n", "NVIDIA H100 80GB HBM3", 81559L)]
    [InlineData("Tesla T4, 15360", "Tesla T4", 15360L)]
    public void The_GPU_line_of_nvidia_smi_gives_name_and_memory(string line, string name, long mib) =>
        Assert.Equal((name, mib), GpuProbe.ParseLine(line));

    [Theory]
    [InlineData("")]
    [InlineData("No devices were found")]
    public void Other_nvidia_smi_output_gives_no_GPU(string line) => Assert.Null(GpuProbe.ParseLine(line));
}
