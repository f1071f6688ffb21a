namespace Vigil.AppHost.UnitTests;

/// <summary>A folder of its own for one test, deleted afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"vigil-apphost-unit-{Guid.NewGuid():n}")).FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
