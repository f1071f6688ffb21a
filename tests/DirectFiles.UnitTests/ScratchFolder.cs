namespace Vigil.DirectFiles.UnitTests;

/// <summary>A folder of its own under the temporary folder per test class instance, removed afterwards.</summary>
public abstract class ScratchFolder : IDisposable
{
    protected string Folder { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"vigil-direct-tests-{Guid.NewGuid():n}")).FullName;

    public void Dispose()
    {
        Directory.Delete(Folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    protected string NewPath() => Path.Combine(Folder, $"{Guid.NewGuid():n}.bin");

    protected static byte[] Bytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    protected static long ResidentBytes(string path) => PageCache.ResidentBytes(path);
}
