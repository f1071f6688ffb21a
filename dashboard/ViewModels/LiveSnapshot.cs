using System.Globalization;
using Vigil.Dashboard.Api;

namespace Vigil.Dashboard.ViewModels;

/// <summary>
/// The live page's numbers at one moment: anomalies per time bucket over the window, the entities with most anomalies,
/// the newest anomalies, and event and anomaly rates over the last minute.
/// </summary>
public sealed record LiveSnapshot(
    string Dataset, DateTimeOffset At, TimeSpan Window, IReadOnlyList<string> BucketLabels, IReadOnlyList<long> BucketCounts,
    IReadOnlyList<(string Entity, int Anomalies)> TopEntities, IReadOnlyList<EventAnomaly> Recent, long AnomaliesInWindow, long EventsInWindow,
    double EventsPerSecond, double? AnomalyShare)
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(1);
    public const int Buckets = 30;
    public const int RecentShown = 20;
    public const int EntitiesShown = 10;

    /// <param name="anomalies">Anomalies scored in the window (any order).</param>
    /// <param name="window">Stream counts over the whole window.</param>
    /// <param name="lastMinute">Stream counts over the last <see cref="RateWindow"/>.</param>
    public static LiveSnapshot Create(string dataset, DateTimeOffset now, TimeSpan windowLength, IReadOnlyList<EventAnomaly> anomalies,
        EventStats? window, EventStats? lastMinute)
    {
        var start = now - windowLength;
        var width = windowLength / Buckets;
        var counts = new long[Buckets];
        foreach (var a in anomalies)
        {
            var index = (int)Math.Floor((a.ScoredAt - start) / width);
            if (index is >= 0 and < Buckets) counts[index]++;
            else if (index == Buckets) counts[Buckets - 1]++; // scored exactly now
        }
        var labels = Enumerable.Range(0, Buckets)
            .Select(i => (start + width * i).UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)).ToList();
        var top = anomalies.GroupBy(a => a.Entity ?? Format.Keys(a.Key))
            .Select(g => (Entity: g.Key, Anomalies: g.Count()))
            .OrderByDescending(g => g.Anomalies).ThenBy(g => g.Entity, StringComparer.Ordinal)
            .Take(EntitiesShown).ToList();
        var recent = anomalies.OrderByDescending(a => a.ScoredAt).ThenByDescending(a => a.Risk).Take(RecentShown).ToList();
        var rate = lastMinute is { } m ? m.Events / RateWindow.TotalSeconds : 0;
        double? share = lastMinute is { Events: > 0 } l ? (double)l.Anomalies / l.Events : null;
        return new LiveSnapshot(dataset, now, windowLength, labels, counts, top, recent,
            window?.Anomalies ?? anomalies.Count, window?.Events ?? 0, rate, share);
    }
}
