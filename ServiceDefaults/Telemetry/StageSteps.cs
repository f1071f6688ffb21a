using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Vigil.ServiceDefaults.Telemetry;

/// <summary>
/// The steps of one stage of a run, each with its wall time and the process's CPU time, for a single log line that
/// says where the stage's time went. The CPU time is the whole process's: other runs in flight count too.
/// </summary>
public sealed class StageSteps
{
    private readonly StringBuilder _line = new();
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _since;
    private TimeSpan _cpuSince = Environment.CpuUsage.TotalTime;

    public StageSteps() => _since = _start;

    public double TotalMilliseconds => Stopwatch.GetElapsedTime(_start).TotalMilliseconds;

    /// <summary>Closes the step that ran since the last call (or since construction) under <paramref name="name"/>.</summary>
    public void Done(string name)
    {
        var now = Stopwatch.GetTimestamp();
        var cpu = Environment.CpuUsage.TotalTime;
        if (_line.Length > 0) _line.Append(", ");
        _line.Append(CultureInfo.InvariantCulture, $"{name} {Stopwatch.GetElapsedTime(_since, now).TotalMilliseconds:0} ms (cpu {(cpu - _cpuSince).TotalMilliseconds:0} ms)");
        _since = now;
        _cpuSince = cpu;
    }

    /// <summary>"read 900 ms (cpu 1500 ms), validate 400 ms (cpu 700 ms), ..."</summary>
    public override string ToString() => _line.ToString();
}
