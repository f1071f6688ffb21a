namespace Vigil.Scoring.Events;

/// <summary>Scoring of streamed events (section <c>Scoring:Events</c>).</summary>
public sealed class EventScoringOptions
{
    public const string Section = "Scoring:Events";

    /// <summary>Without a model: an event whose |z| against its entity's rolling statistics reaches this is reviewed...</summary>
    public double ReviewZ { get; set; } = 4;

    /// <summary>...and blocked from this |z|. Risk is 100 x |z| / BlockZ, capped at 100.</summary>
    public double BlockZ { get; set; } = 8;

    /// <summary>An entity's column is judged only once it has this many earlier observations.</summary>
    public long MinCount { get; set; } = 20;

    /// <summary>Numeric columns per event that keep rolling statistics (amount-like ones: not keys, entity, timestamp or *_id).</summary>
    public int MaxTrackedColumns { get; set; } = 8;

    /// <summary>
    /// Keep every event's verdict, not only anomalies, for <c>GET /api/datasets/{name}/events/scores.csv</c>: one more
    /// row per event written with binary COPY in the micro-batch's transaction. Switch off for the highest event rates.
    /// </summary>
    public bool KeepEveryScore { get; set; } = true;
}
