using System.Globalization;

namespace Vigil.Cli.Arguments;

/// <summary>
/// Turns arguments and the environment into a <see cref="CliCommand"/>. The gateway comes from --url or VIGIL_URL
/// (default http://localhost:5080), the key from --key or VIGIL_API_KEY; an option wins over the environment.
/// </summary>
public static class CommandLine
{
    public const string UrlVariable = "VIGIL_URL";
    public const string KeyVariable = "VIGIL_API_KEY";
    public static readonly Uri DefaultUrl = new("http://localhost:5080/");
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(15);

    private static readonly string[] Global = ["url", "key"];
    private static readonly string[] Statuses = ["running", "completed", "failed"];

    public static CliCommand Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        if (args.Count == 0) throw new UsageException("No command given.");
        if (args[0] is "help" or "--help" or "-h") return new HelpCommand();
        return args[0] switch
        {
            "check" => Check(Split(args, ["dataset", "file", "source", "execution-date", "idempotency-key", "callback-url", "fail-on", "timeout"], ["wait", "rerun"]), environment),
            "runs" => Runs(Split(args, ["dataset", "status", "limit"], []), environment),
            "report" => Report(Split(args, ["kind", "output"], []), environment),
            var other => throw new UsageException($"Unknown command '{other}'."),
        };
    }

    private static ParsedArguments Split(IReadOnlyList<string> args, string[] options, string[] flags)
    {
        var parsed = ParsedArguments.Parse(args, options.Concat(Global).ToHashSet(), flags.Append("json").Append("help").ToHashSet());
        if (parsed.Flag("help")) throw new UsageException($"Usage of '{parsed.Command}':");
        return parsed;
    }

    private static CheckCommand Check(ParsedArguments a, Func<string, string?> environment)
    {
        NoPositional(a);
        var dataset = Required(a, "dataset");
        var file = Required(a, "file");
        var failOn = FailOnList.Parse(a.Option("fail-on") ?? FailOnList.Default);
        if (a.Option("fail-on") is not null && !a.Flag("wait"))
            throw new UsageException("--fail-on judges the verdict, which needs --wait.");
        DateOnly? executionDate = a.Option("execution-date") is { } date
            ? DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
                ? parsed : throw new UsageException($"--execution-date '{date}' is not a date (yyyy-MM-dd).")
            : null;
        var timeout = a.Option("timeout") is { } seconds
            ? int.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0
                ? TimeSpan.FromSeconds(s) : throw new UsageException($"--timeout '{seconds}' is not a whole number of seconds above 0.")
            : DefaultTimeout;
        return new CheckCommand(ConnectionOf(a, environment), a.Flag("json"), dataset, file, a.Option("source"), executionDate,
            a.Option("idempotency-key"), a.Flag("rerun"), a.Option("callback-url"), a.Flag("wait"), failOn, timeout);
    }

    private static RunsCommand Runs(ParsedArguments a, Func<string, string?> environment)
    {
        NoPositional(a);
        var status = a.Option("status");
        if (status is not null && !Statuses.Contains(status))
            throw new UsageException($"--status must be one of {string.Join(", ", Statuses)}.");
        var limit = a.Option("limit") is { } text
            ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l is >= 1 and <= 500
                ? l : throw new UsageException($"--limit '{text}' must be a number from 1 to 500.")
            : 20;
        return new RunsCommand(ConnectionOf(a, environment), a.Flag("json"), a.Option("dataset"), status, limit);
    }

    private static ReportCommand Report(ParsedArguments a, Func<string, string?> environment)
    {
        if (a.Positional.Count != 1) throw new UsageException("'report' takes exactly one run id.");
        if (!Guid.TryParse(a.Positional[0], out var runId)) throw new UsageException($"'{a.Positional[0]}' is not a run id.");
        if (a.Option("output") is not null && a.Option("kind") is null) throw new UsageException("--output needs --kind (the report to save).");
        return new ReportCommand(ConnectionOf(a, environment), a.Flag("json"), runId, a.Option("kind"), a.Option("output"));
    }

    private static Connection ConnectionOf(ParsedArguments a, Func<string, string?> environment)
    {
        var url = a.Option("url") ?? NonEmpty(environment(UrlVariable));
        var key = a.Option("key") ?? NonEmpty(environment(KeyVariable));
        if (url is null) return new Connection(DefaultUrl, key);
        if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new UsageException($"'{url}' is not an http(s) URL of Vigil's gateway (--url or {UrlVariable}).");
        return new Connection(uri, key);
    }

    private static string Required(ParsedArguments a, string name) =>
        a.Option(name) is { Length: > 0 } value ? value : throw new UsageException($"--{name} is required for '{a.Command}'.");

    private static void NoPositional(ParsedArguments a)
    {
        if (a.Positional.Count > 0) throw new UsageException($"Unexpected argument '{a.Positional[0]}' for '{a.Command}'.");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
