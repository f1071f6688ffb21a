using System.Text;
using Vigil.Contracts;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Events;

/// <summary>A micro-batch's events as one typed table (read as NDJSON by the same reader batches use), one row per event.</summary>
public static class EventTable
{
    private static readonly TableReadOptions Options = new() { BuildThreads = 0 };

    /// <exception cref="Vigil.Tabular.Parsing.BatchFormatException">An event is not a JSON object.</exception>
    public static TypedTable Read(IReadOnlyList<AcceptedEvent> events)
    {
        var text = new StringBuilder(events.Sum(e => e.Json.Length + 1));
        foreach (var e in events) text.Append(e.Json.ReplaceLineEndings(" ")).Append('\n');
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()));
        return TableReader.Read(content, TableReader.NdjsonMediaType, Options);
    }

    /// <summary>
    /// The numeric columns whose values keep rolling statistics: amount-like ones, so not the key, entity or timestamp
    /// columns nor identifiers named *_id / *id.
    /// </summary>
    public static IReadOnlyList<Column> TrackedColumns(TypedTable table, EventsAccepted batch, int max)
    {
        var excluded = new HashSet<string>(batch.KeyColumns, StringComparer.Ordinal);
        if (batch.EntityColumn is { } entity) excluded.Add(entity);
        if (batch.TimestampColumn is { } timestamp) excluded.Add(timestamp);
        return [.. table.Columns
            .Where(c => c.IsNumeric && !excluded.Contains(c.Name) && !c.Name.EndsWith("id", StringComparison.OrdinalIgnoreCase))
            .Take(max)];
    }

    /// <summary>One observation per event and tracked column with a value; events of no entity column share the entity "*".</summary>
    public static List<EntityObservation> Observations(TypedTable table, string? entityColumn, IReadOnlyList<Column> tracked)
    {
        var entity = entityColumn is not null && table.TryGetColumn(entityColumn, out var column) ? column : null;
        var observations = new List<EntityObservation>(table.RowCount * tracked.Count);
        for (var row = 0; row < table.RowCount; row++)
        {
            var name = entity is null || entity.IsNull(row) ? "*" : entity.GetText(row);
            foreach (var value in tracked)
            {
                if (!value.IsNull(row)) observations.Add(new EntityObservation(row, name, value.Name, value.GetDouble(row)));
            }
        }
        return observations;
    }
}
