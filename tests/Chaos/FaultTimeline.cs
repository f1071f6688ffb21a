using System.Diagnostics;

namespace Vigil.Chaos;

/// <summary>
/// Runs the faults one after another while batches are driven: each begins after a quiet gap, lasts its duration and is
/// undone (always, even when the run is cancelled, so no server is left stopped). Records when each happened.
/// </summary>
public sealed class FaultTimeline(IFaultInjector injector, IReadOnlyList<Fault> faults, TimeSpan duration, TimeSpan gap)
{
    public sealed record Entry(string Fault, double BeganAtSeconds, double EndedAtSeconds);

    public List<Entry> Entries { get; } = [];

    /// <summary>How long the whole timeline takes, so the drive can be paced to span it.</summary>
    public TimeSpan Length => (duration + gap) * faults.Count + gap;

    public async Task RunAsync(Stopwatch clock, CancellationToken cancellationToken)
    {
        foreach (var fault in faults)
        {
            await Task.Delay(gap, cancellationToken);
            var began = clock.Elapsed.TotalSeconds;
            await fault.BeginAsync(injector, cancellationToken);
            try
            {
                await Task.Delay(duration, cancellationToken);
            }
            finally
            {
                await fault.EndAsync(injector, CancellationToken.None);
                Entries.Add(new Entry(fault.Name, began, clock.Elapsed.TotalSeconds));
            }
        }
        await Task.Delay(gap, cancellationToken);
    }
}
