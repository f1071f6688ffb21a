using System.Diagnostics;
using System.Globalization;

namespace Vigil.DirectFiles.UnitTests;

/// <summary>
/// What the page cache holds of a file, from util-linux's fincore: how tests see that direct I/O really bypassed it.
/// Linked into the other test projects that check a direct-I/O path (ObjectStore.Tests, Ingest.UnitTests).
/// </summary>
public static class PageCache
{
    public static long ResidentBytes(string path)
    {
        using var fincore = Process.Start(new ProcessStartInfo("fincore", ["--bytes", "--noheadings", "--output", "RES", path]) { RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("fincore (util-linux) could not be started.");
        var output = fincore.StandardOutput.ReadToEnd();
        fincore.WaitForExit();
        if (fincore.ExitCode != 0) throw new InvalidOperationException($"fincore {path} exited with {fincore.ExitCode}.");
        return long.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }
}
