using System.Diagnostics;
using System.Globalization;

namespace Vigil.Scoring.Models;

/// <summary>
/// Wall time and the process's CPU time of each step of one batch's scoring, in the order they ran, for the one log
/// line that says where a batch's time went (read, features, ensemble, drift, stored, reports). The CPU time is the
/// whole process's, so it includes anything else Scoring did meanwhile (another batch, a training).
/// </summary>
public sealed class StepClock
{
    private readonly List<(string Step, double Milliseconds, double CpuMilliseconds)> _steps = [];
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _mark;
    private TimeSpan _cpuMark = Environment.CpuUsage.TotalTime;

    public StepClock() => _mark = _start;

    /// <summary>Ends the step that began at the previous lap (or at the start) under <paramref name="step"/>.</summary>
    public void Lap(string step)
    {
        var now = Stopwatch.GetTimestamp();
        var cpu = Environment.CpuUsage.TotalTime;
        _steps.Add((step, Stopwatch.GetElapsedTime(_mark, now).TotalMilliseconds, (cpu - _cpuMark).TotalMilliseconds));
        _mark = now;
        _cpuMark = cpu;
    }

    public double TotalMilliseconds => Stopwatch.GetElapsedTime(_start).TotalMilliseconds;

    /// <summary>"read spill 80 ms (cpu 90 ms), features 150 ms (cpu 160 ms), ...; resident 900 MiB, managed heap 400 MiB"</summary>
    public override string ToString() =>
        string.Join(", ", _steps.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Step} {s.Milliseconds:0} ms (cpu {s.CpuMilliseconds:0} ms)")))
        + string.Create(CultureInfo.InvariantCulture,
            $"; resident {Environment.WorkingSet / 1048576.0:0} MiB, managed heap {GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0:0} MiB after the last collection");
}
