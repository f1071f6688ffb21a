namespace Vigil.ObjectStore.Tests.Emulator;

/// <summary>One emulator with its own temporary data folder, shared by a test class; removed afterwards.</summary>
public sealed class ObjectStoreFixture : IAsyncLifetime
{
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), $"vigil-objectstore-{Guid.NewGuid():N}");

    public ObjectStoreProcess Store { get; private set; } = null!;

    public ServiceS3Client Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Store = await ObjectStoreProcess.StartAsync(DataDirectory);
        Client = new ServiceS3Client(Store.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Store.DisposeAsync();
        if (Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true);
    }
}
