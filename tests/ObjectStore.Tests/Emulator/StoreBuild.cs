using System.Reflection;

namespace Vigil.ObjectStore.Tests.Emulator;

/// <summary>
/// The built store (tools/ObjectStore, built with this project through its project reference): the assembly path the
/// test project recorded at build time, for the configuration it was built in.
/// </summary>
public static class StoreBuild
{
    public static string Assembly { get; } = Find();

    private static string Find()
    {
        var recorded = typeof(StoreBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "ObjectStoreAssembly")?.Value
            ?? throw new InvalidOperationException("This assembly does not record where the object store was built (AssemblyMetadata ObjectStoreAssembly).");
        return File.Exists(recorded) ? recorded
            : throw new InvalidOperationException($"The object store is not built at {recorded}; build tools/ObjectStore/Vigil.ObjectStore.csproj.");
    }
}
