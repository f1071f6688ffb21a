using Cronos;

namespace Vigil.ServiceDefaults.Schedules;

/// <summary>
/// A cron expression read in an IANA time zone: five fields (minute precision) or six (a leading seconds field). The
/// one place cron text is parsed, so the dataset registration (Validation) refuses exactly what the scheduler (Ingest)
/// could not run.
/// </summary>
public sealed class CronSchedule
{
    private readonly CronExpression _expression;

    private CronSchedule(string cron, TimeZoneInfo zone, CronExpression expression)
    {
        Cron = cron;
        Zone = zone;
        _expression = expression;
    }

    public string Cron { get; }

    public TimeZoneInfo Zone { get; }

    /// <summary>The schedule, or null with the reason in <paramref name="problem"/>.</summary>
    public static CronSchedule? TryParse(string? cron, string? timeZone, out string? problem)
    {
        problem = null;
        var text = cron?.Trim() ?? "";
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is not (5 or 6))
        {
            problem = $"'{text}' is not a cron expression: give 5 fields (minute hour day-of-month month day-of-week) or 6 (a leading seconds field).";
            return null;
        }
        if (!CronExpression.TryParse(text, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard, out var expression))
        {
            problem = $"'{text}' is not a valid cron expression.";
            return null;
        }
        var zoneId = string.IsNullOrWhiteSpace(timeZone) ? "UTC" : timeZone.Trim();
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone))
        {
            problem = $"'{zoneId}' is not a known IANA time zone (e.g. UTC, Europe/Paris, America/New_York).";
            return null;
        }
        return new CronSchedule(text, zone, expression);
    }

    /// <summary>The first tick strictly after <paramref name="after"/> (in UTC, as Postgres keeps it), or null when the expression never fires again.</summary>
    public DateTimeOffset? Next(DateTimeOffset after) => _expression.GetNextOccurrence(after, Zone)?.ToUniversalTime();

    /// <summary>The next <paramref name="count"/> ticks strictly after <paramref name="after"/>.</summary>
    public IReadOnlyList<DateTimeOffset> Upcoming(DateTimeOffset after, int count)
    {
        var ticks = new List<DateTimeOffset>(count);
        for (var at = Next(after); at is { } tick && ticks.Count < count; at = Next(tick)) ticks.Add(tick);
        return ticks;
    }

    /// <summary>
    /// The ticks in [<paramref name="from"/>, <paramref name="to"/>), at most <paramref name="limit"/> + 1 of them, so a
    /// caller can tell "over the limit" without enumerating a huge range.
    /// </summary>
    public IReadOnlyList<DateTimeOffset> Between(DateTimeOffset from, DateTimeOffset to, int limit) =>
        [.. _expression.GetOccurrences(from, to, Zone, fromInclusive: true, toInclusive: false).Take(limit + 1).Select(t => t.ToUniversalTime())];

    /// <summary>
    /// The latest tick in (<paramref name="after"/>, <paramref name="now"/>], or null when none is due: after downtime
    /// the missed ticks collapse into this one, so a schedule catches up once, not once per missed tick.
    /// </summary>
    public DateTimeOffset? LatestDue(DateTimeOffset after, DateTimeOffset now)
    {
        DateTimeOffset? latest = null;
        for (var at = Next(after); at is { } tick && tick <= now; at = Next(tick)) latest = tick;
        return latest;
    }

    /// <summary>The calendar date of a tick in the schedule's zone: the execution date of what the tick runs.</summary>
    public DateOnly DateOf(DateTimeOffset tick) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(tick, Zone).DateTime);
}
