using System.Text.Json;
using Vigil.Cli.Arguments;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil report RUNID</c>: without --kind, the run and the reports it has; with --kind, that report's bytes on stdout
/// or into --output (written to a temporary file first, so a failed download leaves no partial file behind).
/// </summary>
public static class ReportRunner
{
    public static async Task<int> RunAsync(ReportCommand report, VigilApi api, CliOutput output, CancellationToken cancellationToken)
    {
        if (report.Kind is null)
        {
            var run = await api.GetRunAsync(report.RunId, cancellationToken);
            if (report.Json)
            {
                output.WriteJson(run);
                return ExitCodes.Passed;
            }
            output.Out.WriteLine(Verdict.Judge(run, FailOn.None).Summary());
            var kinds = run.TryGetProperty("reports", out var reports) && reports.ValueKind == JsonValueKind.Object
                ? reports.EnumerateObject().Select(r => r.Name).Order(StringComparer.Ordinal).ToList()
                : [];
            output.Out.WriteLine(kinds.Count == 0 ? "no reports yet" : $"reports: {string.Join(", ", kinds)} (vigil report {report.RunId} --kind KIND)");
            return ExitCodes.Passed;
        }

        if (report.Output is null)
        {
            await using var stdout = output.OpenStandardOutput();
            await api.DownloadReportAsync(report.RunId, report.Kind, stdout, cancellationToken);
            return ExitCodes.Passed;
        }
        var partial = report.Output + ".partial";
        try
        {
            await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
                await api.DownloadReportAsync(report.RunId, report.Kind, file, cancellationToken);
            File.Move(partial, report.Output, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
        output.Progress($"{report.Kind} report of run {report.RunId} saved to {report.Output}");
        return ExitCodes.Passed;
    }
}
