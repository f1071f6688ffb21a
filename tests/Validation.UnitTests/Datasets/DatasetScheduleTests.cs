using Vigil.Validation.Datasets;

namespace Vigil.Validation.UnitTests.Datasets;

public sealed class DatasetScheduleTests
{
    private static readonly DatasetPull Pull = new(new PullEndpoint("warehouse", Table: "public.orders"), null);

    private static Dictionary<string, string[]> Errors(DatasetSchedule schedule, DatasetPull? pull) =>
        CompiledDataset.Compile(new DatasetDefinition { Name = "shop.orders", KeyColumns = ["id"], Pull = pull, Schedule = schedule }, 1).Errors;

    [Fact]
    public void Valid_pull_and_retrain_schedules_compile()
    {
        Assert.Empty(Errors(new DatasetSchedule(new ScheduleClock("*/2 * * * * *", "UTC"), new RetrainClock("0 3 * * 1", "Europe/Paris", 5)), Pull));
    }

    [Fact]
    public void Each_bad_schedule_is_reported_under_schedule_with_its_reason()
    {
        Assert.Contains("needs the dataset's 'pull' section", Errors(new DatasetSchedule(new ScheduleClock("0 * * * *")), null)["schedule"].Single());
        Assert.Contains("not a valid cron expression", Errors(new DatasetSchedule(new ScheduleClock("0 25 * * *")), Pull)["schedule"].Single());
        Assert.Contains("not a known IANA time zone", Errors(new DatasetSchedule(Retrain: new RetrainClock("0 3 * * 1", "Nowhere/City")), null)["schedule"].Single());
        Assert.Contains("lastRuns must be between 1 and 20", Errors(new DatasetSchedule(Retrain: new RetrainClock("0 3 * * 1", LastRuns: 0)), null)["schedule"].Single());
        Assert.Contains("needs 'pull', 'retrain' or both", Errors(new DatasetSchedule(), null)["schedule"].Single());
    }
}
