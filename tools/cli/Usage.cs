namespace Vigil.Cli;

/// <summary>The help text, also printed after a usage error.</summary>
public static class Usage
{
    public const string Text = """
        vigil: hand a load to Vigil and act on its verdict.

          vigil check --dataset NAME --file LOAD [--source SOURCE] [--wait] [--fail-on block,failed] [--json]
                      [--execution-date yyyy-MM-dd] [--idempotency-key KEY] [--rerun] [--callback-url URL] [--timeout SECONDS]
          vigil runs [--dataset NAME] [--status running|completed|failed] [--limit N] [--json]
          vigil report RUNID [--kind KIND [--output FILE]] [--json]

        Every command: --url URL (or VIGIL_URL; default http://localhost:5080), --key KEY (or VIGIL_API_KEY).
        LOAD/SOURCE: .csv, .json (array) or .ndjson/.jsonl. --fail-on: failed, block, review, rules, drift, none.
        Progress goes to stderr; the result (a verdict, a run list, a report) to stdout.

        Exit codes: 0 passed, 1 blocked (a --fail-on data condition holds), 2 usage, 3 run failed,
                    4 rejected by Vigil (4xx problem), 5 Vigil unreachable or unavailable, 6 --wait timed out.
        """;
}
