using System.Globalization;
using System.Text.Json;
using Vigil.Cli.Arguments;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil runs</c>: one line per run (id, dataset, execution date, status, rows, anomalies, start), or the page as JSON.</summary>
public static class RunsRunner
{
    public static async Task<int> RunAsync(RunsCommand runs, VigilApi api, CliOutput output, CancellationToken cancellationToken)
    {
        var page = await api.ListRunsAsync(runs, cancellationToken);
        if (runs.Json)
        {
            output.WriteJson(page);
            return ExitCodes.Passed;
        }
        var items = page.GetProperty("items");
        output.Out.WriteLine("RUN ID                                DATASET                         DATE        STATUS     ROWS      ANOMALIES  STARTED");
        foreach (var run in items.EnumerateArray())
        {
            output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{run.GetProperty("runId").GetGuid(),-37} {Text(run, "dataset"),-31} {Text(run, "executionDate"),-11} {Text(run, "status"),-10} {Text(run, "rowCount"),-9} {Text(run, "anomalyCount"),-10} {Text(run, "startedAt")}"));
        }
        output.Progress($"{items.GetArrayLength()} of {page.GetProperty("total").GetInt64()} run(s)");
        return ExitCodes.Passed;
    }

    private static string Text(JsonElement run, string name) =>
        run.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.ToString() : "-";
}
