using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Vigil.Scoring.Onnx.Runtime;

/// <summary>The name and memory of a GPU as nvidia-smi reports them; null where there is no nvidia-smi or no GPU.</summary>
public static class GpuProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static (string Name, long MemoryMiB)? Query(int deviceId = 0)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("nvidia-smi",
                ["--query-gpu=name,memory.total", "--format=csv,noheader,nounits", $"--id={deviceId}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }
            return process.ExitCode == 0 ? ParseLine(output.Result) : null;
        }
        catch (Win32Exception)
        {
            return null;   // nvidia-smi is not installed
        }
    }

    /// <summary>Reads "NVIDIA H100 80GB HBM3, 81559" (name, MiB).</summary>
    public static (string Name, long MemoryMiB)? ParseLine(string line)
    {
        var first = line.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (first is null) return null;
        var comma = first.LastIndexOf(',');
        if (comma <= 0) return null;
        return long.TryParse(first[(comma + 1)..].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var mib)
            ? (first[..comma].Trim(), mib)
            : null;
    }
}
