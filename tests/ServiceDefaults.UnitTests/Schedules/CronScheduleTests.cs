using Vigil.ServiceDefaults.Schedules;

namespace Vigil.ServiceDefaults.UnitTests.Schedules;

public sealed class CronScheduleTests
{
    private static CronSchedule Parse(string cron, string? zone = null) =>
        CronSchedule.TryParse(cron, zone, out var problem) ?? throw new InvalidOperationException(problem);

    [Theory]
    [InlineData("every hour", "not a cron expression")]
    [InlineData("* * * *", "not a cron expression")]
    [InlineData("61 * * * *", "not a valid cron expression")]
    [InlineData("*/2 * * * * * *", "not a cron expression")]
    public void Text_that_is_not_a_cron_expression_is_refused_with_the_reason(string cron, string expected)
    {
        Assert.Null(CronSchedule.TryParse(cron, "UTC", out var problem));
        Assert.Contains(expected, problem);
    }

    [Fact]
    public void An_unknown_time_zone_is_refused_and_a_missing_one_means_utc()
    {
        Assert.Null(CronSchedule.TryParse("0 * * * *", "Mars/Olympus_Mons", out var problem));
        Assert.Contains("'Mars/Olympus_Mons' is not a known IANA time zone", problem);
        Assert.Equal(TimeZoneInfo.Utc.BaseUtcOffset, Parse("0 * * * *").Zone.BaseUtcOffset);
    }

    [Fact]
    public void Six_fields_read_the_first_as_seconds()
    {
        var ticks = Parse("*/2 * * * * *").Upcoming(new DateTimeOffset(2026, 11, 20, 10, 0, 1, TimeSpan.Zero), 3);
        Assert.Equal([2, 4, 6], ticks.Select(t => t.Second));
    }

    [Fact]
    public void Ticks_follow_the_time_zone_across_a_daylight_saving_change()
    {
        // 06:00 in Paris is 04:00 UTC in summer time and 05:00 UTC after the clocks go back (03:00 on Sunday 2026-10-25).
        var daily = Parse("0 6 * * *", "Europe/Paris");
        var ticks = daily.Upcoming(new DateTimeOffset(2026, 10, 23, 12, 0, 0, TimeSpan.Zero), 4);
        Assert.Equal([4, 5, 5, 5], ticks.Select(t => t.UtcDateTime.Hour));
        Assert.Equal(new DateOnly(2026, 10, 24), daily.DateOf(ticks[0]));
    }

    [Fact]
    public void Missed_ticks_after_downtime_collapse_into_the_latest_one()
    {
        var hourly = Parse("0 * * * *");
        var last = new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

        Assert.Equal(last.AddHours(5), hourly.LatestDue(last, last.AddHours(5).AddMinutes(30)));
        Assert.Null(hourly.LatestDue(last, last.AddMinutes(59)));
        Assert.Equal(last.AddHours(1), hourly.LatestDue(last, last.AddHours(1)));
    }

    [Fact]
    public void Between_counts_the_ticks_of_a_half_open_range_and_stops_one_past_the_limit()
    {
        var daily = Parse("0 0 * * *");
        var from = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(3, daily.Between(from, from.AddDays(3), limit: 100).Count);
        Assert.Equal(11, daily.Between(from, from.AddYears(5), limit: 10).Count);
    }
}
