using System.Text.Json;
using Vigil.Ingest.Schedules;

namespace Vigil.Ingest.UnitTests.Schedules;

public sealed class DatasetScheduleTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Fact]
    public void A_definition_with_pull_and_retrain_clocks_gives_both_with_the_pull_plan()
    {
        var schedule = DatasetSchedule.FromDefinition("shop.orders", Json("""
            {"name":"shop.orders","pull":{"target":{"connection":"warehouse","table":"public.orders"}},
             "schedule":{"pull":{"cron":"0 * * * *","timeZone":"Europe/Paris"},"retrain":{"cron":"0 3 * * 1","lastRuns":7}}}
            """));

        Assert.NotNull(schedule);
        Assert.Equal("0 * * * *", schedule.For(ScheduleKinds.Pull)!.Cron);
        Assert.Equal("warehouse", schedule.Plan!.Target.Connection);
        Assert.Equal("0 3 * * 1", schedule.For(ScheduleKinds.Retrain)!.Cron);
        Assert.Equal(7, schedule.RetrainLastRuns);
    }

    [Fact]
    public void A_pull_clock_without_a_pull_section_or_with_a_bad_cron_is_left_out()
    {
        Assert.Null(DatasetSchedule.FromDefinition("a", Json("""{"schedule":{"pull":{"cron":"0 * * * *"}}}""")));
        Assert.Null(DatasetSchedule.FromDefinition("a", Json("""{"pull":{"target":{"connection":"w","table":"t"}},"schedule":{"pull":{"cron":"nope"}}}""")));
        Assert.Null(DatasetSchedule.FromDefinition("a", Json("""{"name":"a"}""")));
        var retrainOnly = DatasetSchedule.FromDefinition("a", Json("""{"schedule":{"retrain":{"cron":"0 3 * * *"}}}"""));
        Assert.Null(retrainOnly!.Pull);
        Assert.Equal(DatasetSchedule.DefaultLastRuns, retrainOnly.RetrainLastRuns);
    }
}
