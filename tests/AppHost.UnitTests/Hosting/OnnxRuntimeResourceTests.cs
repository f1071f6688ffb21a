using Vigil.AppHost.Hosting;
using Vigil.AppHost.Hosting.Resources;
using Vigil.AppHost.UnitTests.Support;

namespace Vigil.AppHost.UnitTests.Hosting;

[Collection(ProcessEnvironment.Collection)]
public sealed class OnnxRuntimeResourceTests : IDisposable
{
    private const string LibraryPathKey = "Scoring__OnnxRuntime__LibraryPath";
    private readonly TempDirectory _temp = new();
    private readonly string? _saved = Environment.GetEnvironmentVariable(OnnxRuntimeResource.LibraryVariable);

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(OnnxRuntimeResource.LibraryVariable, _saved);
        _temp.Dispose();
    }

    private async Task<OnnxRuntimeResource> StartAsync()
    {
        var builder = Builders.Create(_temp);
        builder.AddOnnxRuntime("onnxruntime");
        await using var app = builder.Build();
        await app.StartAsync(only: ["onnxruntime"]);
        return app.Resource<OnnxRuntimeResource>("onnxruntime");
    }

    [Fact]
    public async Task A_configured_library_path_is_handed_to_referencing_projects()
    {
        var library = _temp.Combine("libonnxruntime.so.1");
        await File.WriteAllTextAsync(library, "stand-in");
        Environment.SetEnvironmentVariable(OnnxRuntimeResource.LibraryVariable, library);

        var resource = await StartAsync();

        Assert.Equal(library, resource.ReferenceEnvironment[LibraryPathKey]);
        Assert.Equal(library, resource.Url);
    }

    [Fact]
    public async Task A_configured_path_that_does_not_exist_stops_the_start_and_names_the_path()
    {
        var missing = _temp.Combine("nowhere", "libonnxruntime.so.1");
        Environment.SetEnvironmentVariable(OnnxRuntimeResource.LibraryVariable, missing);

        var error = await Assert.ThrowsAnyAsync<Exception>(StartAsync);

        Assert.Contains(missing, error.ToString());
    }

    [Fact]
    public async Task Without_configuration_the_cpu_library_is_fetched_into_the_repository_cache()
    {
        Environment.SetEnvironmentVariable(OnnxRuntimeResource.LibraryVariable, null);

        var resource = await StartAsync();

        var library = resource.ReferenceEnvironment[LibraryPathKey];
        Assert.EndsWith(Path.Combine(".vigil", "cache", "onnxruntime", OnnxRuntimeResource.Version, "libonnxruntime.so.1"), library);
        Assert.True(new FileInfo(library).Length > 1_000_000, $"{library} should be the native library");
    }
}
