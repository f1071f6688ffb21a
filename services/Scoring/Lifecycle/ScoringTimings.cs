using System.Collections.Concurrent;

namespace Vigil.Scoring.Lifecycle;

/// <summary>
/// How long each model version took to score one batch: from taking its engine to giving it back (a version loaded
/// for the first time includes its load). A consumer begins a collection for the batch it handles; the engine leases
/// taken in that flow record into it; versions that scored outside any collection are not recorded.
/// </summary>
public sealed class ScoringTimings : IDisposable
{
    private static readonly AsyncLocal<ScoringTimings?> Current = new();
    private readonly ConcurrentDictionary<int, double> _milliseconds = new();
    private readonly ScoringTimings? _outer;

    private ScoringTimings(ScoringTimings? outer) => _outer = outer;

    /// <summary>Starts collecting for the calling flow (a synchronous call, so the caller's flow sees it) until disposed.</summary>
    public static ScoringTimings Begin()
    {
        var timings = new ScoringTimings(Current.Value);
        Current.Value = timings;
        return timings;
    }

    /// <summary>The collection of the calling flow, if one was begun.</summary>
    public static ScoringTimings? Active => Current.Value;

    /// <summary>Adds a scoring's time to the version's total (a version scoring the batch twice counts both).</summary>
    public void Record(int version, TimeSpan elapsed) => _milliseconds.AddOrUpdate(version, elapsed.TotalMilliseconds, (_, sum) => sum + elapsed.TotalMilliseconds);

    /// <summary>Milliseconds the version spent scoring this batch, or null when it did not score through an engine.</summary>
    public double? Milliseconds(int version) => _milliseconds.TryGetValue(version, out var ms) ? ms : null;

    public void Dispose()
    {
        if (Current.Value == this) Current.Value = _outer;
    }
}
