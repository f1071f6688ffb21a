using System.Globalization;
using System.Text;
using Vigil.Tabular.Writing;

namespace Vigil.Scoring.Events;

/// <summary>
/// Every scored event as CSV: <c>persisted_at, accepted_at, batch_id, event_index</c>, one column per key column (the
/// union over the events, in order of first appearance), <c>entity, risk, decision, z_score, model_version,
/// top_features</c> (space-separated).
/// </summary>
public static class EventScoresCsv
{
    public static string Write(IReadOnlyList<EventAnomalyRecord> events)
    {
        var keys = events.SelectMany(e => e.Key.Keys).Distinct().ToList();
        var text = new StringBuilder();
        text.AppendJoin(',', new[] { "persisted_at", "accepted_at", "batch_id", "event_index" }.Concat(keys)
            .Concat(["entity", "risk", "decision", "z_score", "model_version", "top_features"]).Select(CsvField.Quote)).Append('\n');
        foreach (var e in events)
        {
            text.Append(Time(e.PersistedAt ?? e.ScoredAt)).Append(',').Append(Time(e.AcceptedAt)).Append(',').Append(e.BatchId)
                .Append(',').Append(e.EventIndex.ToString(CultureInfo.InvariantCulture));
            foreach (var key in keys) text.Append(',').Append(CsvField.Quote(e.Key.GetValueOrDefault(key) ?? ""));
            text.Append(',').Append(CsvField.Quote(e.Entity ?? ""))
                .Append(',').Append(e.Risk.ToString("0.####", CultureInfo.InvariantCulture))
                .Append(',').Append(e.Decision)
                .Append(',').Append(e.ZScore.ToString("0.####", CultureInfo.InvariantCulture))
                .Append(',').Append(e.ModelVersion.ToString(CultureInfo.InvariantCulture))
                .Append(',').Append(CsvField.Quote(string.Join(' ', e.TopFeatures))).Append('\n');
        }
        return text.ToString();
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
