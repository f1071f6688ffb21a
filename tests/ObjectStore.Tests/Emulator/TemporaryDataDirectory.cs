namespace Vigil.ObjectStore.Tests.Emulator;

/// <summary>A test class that starts emulators of its own on a data folder of its own, removed after each test.</summary>
public abstract class TemporaryDataDirectory : IAsyncLifetime
{
    protected string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), $"vigil-objectstore-{Guid.NewGuid():N}");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        if (Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true);
        return Task.CompletedTask;
    }
}
