using Vigil.Scoring.Onnx.Runtime;

namespace Vigil.Scoring.UnitTests.Onnx;

public sealed class OnnxRuntimeHostTests
{
    [Fact]
    public void The_CPU_device_is_described_with_the_runtime_version_and_threads()
    {
        var host = new OnnxRuntimeHost(DeviceRequest.Cpu, intraOpThreads: 3);

        Assert.True(host.IsAvailable, host.FailureReason);
        Assert.Equal(ScoringDevice.CpuKind, host.Device!.Kind);
        Assert.Equal($"cpu (ONNX Runtime {NativeOnnxRuntime.Version}, 3 threads)", host.Device.Description);
        Assert.Null(host.Device.FallbackReason);
    }

    [CpuBuildFact]
    public void The_CPU_build_does_not_try_CUDA_and_says_which_package_would()
    {
        var probed = new List<string>();

        var host = new OnnxRuntimeHost(DeviceRequest.Auto, tryLoadLibrary: name => { probed.Add(name); return true; });

        Assert.True(host.IsAvailable, host.FailureReason);
        Assert.Equal("Microsoft.ML.OnnxRuntime", host.Package);
        Assert.DoesNotContain(OnnxRuntimeHost.CudaProvider, host.AvailableProviders);
        Assert.Empty(probed);
        Assert.Contains("CPU build", host.Device!.FallbackReason);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu.Linux", host.Device.FallbackReason);
    }

    [GpuBuildFact]
    public void The_GPU_build_without_the_CUDA_13_libraries_names_them_instead_of_starting_the_provider()
    {
        var host = new OnnxRuntimeHost(DeviceRequest.Auto, tryLoadLibrary: name => name != "libcublas.so.13");

        Assert.True(host.IsAvailable, host.FailureReason);
        Assert.Equal("Microsoft.ML.OnnxRuntime.Gpu.Linux", host.Package);
        Assert.Equal(ScoringDevice.CpuKind, host.Device!.Kind);
        Assert.Contains("libcublas.so.13", host.Device.FallbackReason);
        Assert.DoesNotContain("libcudart.so.13", host.Device.FallbackReason);
    }

    [Fact]
    public void The_CUDA_libraries_that_do_not_load_are_named()
    {
        Assert.Equal(CudaLibraries.Required, CudaLibraries.Missing(_ => false));
        Assert.Empty(CudaLibraries.Missing(_ => true));
        Assert.Equal(["libcudart.so.13"], CudaLibraries.Missing(name => name != "libcudart.so.13"));
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
