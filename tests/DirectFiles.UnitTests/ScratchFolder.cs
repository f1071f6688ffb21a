using System.Diagnostics;
using System.Globalization;

namespace Vigil.DirectFiles.UnitTests;

/// <summary>A folder of its own under the temporary folder per test class instance, removed afterwards, and what the page cache holds of a file.</summary>
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

    /// <summary>How many bytes of the file are in the page cache now (util-linux fincore).</summary>
    protected static long ResidentBytes(string path)
    {
        using var fincore = Process.Start(new ProcessStartInfo("fincore", ["--bytes", "--noheadings", "--output", "RES", path]) { RedirectStandardOutput = true })!;
        var output = fincore.StandardOutput.ReadToEnd();
        fincore.WaitForExit();
        Assert.Equal(0, fincore.ExitCode);
        return long.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }
}
