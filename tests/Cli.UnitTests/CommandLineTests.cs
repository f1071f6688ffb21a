using Vigil.Cli.Arguments;

namespace Vigil.Cli.UnitTests;

public sealed class CommandLineTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    private static CliCommand Parse(string commandLine, Dictionary<string, string>? environment = null) =>
        CommandLine.Parse(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries), name => (environment ?? NoEnvironment).GetValueOrDefault(name));

    [Fact]
    public void Check_reads_every_option_and_flag()
    {
        var check = Assert.IsType<CheckCommand>(Parse(
            "check --dataset banking.transactions --file load.csv --source src.csv --wait --fail-on block,review --json --execution-date 2026-11-20 --idempotency-key k1 --rerun --timeout 90 --callback-url https://hooks.example/x"));

        Assert.Equal("banking.transactions", check.Dataset);
        Assert.Equal("load.csv", check.File);
        Assert.Equal("src.csv", check.Source);
        Assert.True(check.Wait && check.Json && check.Rerun);
        Assert.Equal(FailOn.Block | FailOn.Review, check.FailOn);
        Assert.Equal(new DateOnly(2026, 11, 20), check.ExecutionDate);
        Assert.Equal("k1", check.IdempotencyKey);
        Assert.Equal(TimeSpan.FromSeconds(90), check.Timeout);
        Assert.Equal("https://hooks.example/x", check.CallbackUrl);
    }

    [Fact]
    public void Check_fails_on_block_and_failed_unless_told_otherwise()
    {
        var check = Assert.IsType<CheckCommand>(Parse("check --dataset d --file f.csv --wait"));

        Assert.Equal(FailOn.Block | FailOn.Failed, check.FailOn);
        Assert.Null(check.Source);
        Assert.Equal(CommandLine.DefaultTimeout, check.Timeout);
    }

    [Fact]
    public void Options_also_take_the_name_equals_value_form()
    {
        var check = Assert.IsType<CheckCommand>(Parse("check --dataset=d --file=a=b.csv --wait --fail-on=failed"));

        Assert.Equal("d", check.Dataset);
        Assert.Equal("a=b.csv", check.File);
        Assert.Equal(FailOn.Failed, check.FailOn);
    }

    [Fact]
    public void Url_and_key_come_from_the_environment_and_options_win_over_it()
    {
        var environment = new Dictionary<string, string> { [CommandLine.UrlVariable] = "http://vigil.internal:8080", [CommandLine.KeyVariable] = "from-env" };

        var fromEnvironment = Parse("runs", environment);
        var fromOptions = Parse("runs --url https://other.example/base --key from-option", environment);

        Assert.Equal(new Uri("http://vigil.internal:8080/"), fromEnvironment.Connection.Url);
        Assert.Equal("from-env", fromEnvironment.Connection.ApiKey);
        Assert.Equal(new Uri("https://other.example/base/"), fromOptions.Connection.Url);
        Assert.Equal("from-option", fromOptions.Connection.ApiKey);
    }

    [Fact]
    public void Without_url_or_variable_the_local_gateway_is_used_and_no_key_sent()
    {
        var runs = Parse("runs");

        Assert.Equal(CommandLine.DefaultUrl, runs.Connection.Url);
        Assert.Null(runs.Connection.ApiKey);
    }

    [Fact]
    public void Runs_and_report_read_their_arguments()
    {
        var runId = Guid.NewGuid();
        var runs = Assert.IsType<RunsCommand>(Parse("runs --dataset sales.orders --status failed --limit 5 --json"));
        var report = Assert.IsType<ReportCommand>(Parse($"report {runId} --kind defects --output out.csv"));

        Assert.Equal(("sales.orders", "failed", 5, true), (runs.Dataset, runs.Status, runs.Limit, runs.Json));
        Assert.Equal((runId, "defects", "out.csv"), (report.RunId, report.Kind, report.Output));
    }

    [Theory]
    [InlineData("", "No command")]
    [InlineData("chek --dataset d", "Unknown command 'chek'")]
    [InlineData("check --file f.csv", "--dataset is required")]
    [InlineData("check --dataset d", "--file is required")]
    [InlineData("check --dataset d --file f.csv --colour red", "Unknown option --colour")]
    [InlineData("check --dataset d --file f.csv --wait --fail-on block,later", "'later' is not one of")]
    [InlineData("check --dataset d --file f.csv --fail-on block", "needs --wait")]
    [InlineData("check --dataset d --file f.csv --wait --timeout 0", "--timeout '0'")]
    [InlineData("check --dataset d --file f.csv --execution-date 20/11/2026", "not a date")]
    [InlineData("check --dataset d --dataset e --file f.csv", "given twice")]
    [InlineData("check --dataset d --file", "--file needs a value")]
    [InlineData("check --dataset d --file f.csv --wait=yes", "takes no value")]
    [InlineData("check --dataset d --file f.csv extra", "Unexpected argument 'extra'")]
    [InlineData("runs --status done", "--status must be one of")]
    [InlineData("runs --limit 900", "--limit '900'")]
    [InlineData("runs --url ftp://x", "not an http(s) URL")]
    [InlineData("report", "exactly one run id")]
    [InlineData("report not-a-guid", "is not a run id")]
    [InlineData("report 0a7f3a62-5a43-4a40-a2bb-4b3f1e4b2b0c --output x.csv", "--output needs --kind")]
    public void Bad_command_lines_are_usage_errors_that_say_what_is_wrong(string commandLine, string expected)
    {
        var error = Assert.Throws<UsageException>(() => CommandLine.Parse(commandLine.Length == 0 ? [] : commandLine.Split(' '), _ => null));

        Assert.Contains(expected, error.Message);
        Assert.Equal(ExitCodes.Usage, error.ExitCode);
    }

    [Theory]
    [InlineData("help")]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_is_a_command_of_its_own(string word) => Assert.IsType<HelpCommand>(Parse(word));
}
