namespace Vigil.ObjectStore.Tests.Emulator;

/// <summary>The checkout the tests run from: the first folder above the test binaries that holds Aspire.sln.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Launcher => System.IO.Path.Combine(Path, "tools", "objectstore");

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Aspire.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"No Aspire.sln above {AppContext.BaseDirectory}.");
    }
}
