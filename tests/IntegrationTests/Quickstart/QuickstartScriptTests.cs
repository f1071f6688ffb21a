using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Vigil.AppHost.Resources;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Quickstart;

/// <summary>
/// Runs examples/quickstart.sh, the README's five-minute path, against the started Vigil, so the README's quickstart
/// cannot drift from the API: the script is given this run's gateway and admin key through the variables a user
/// could set (its defaults fit `dotnet run --project AppHost`).
/// </summary>
[Collection(VigilAppCollection.Name)]
public sealed class QuickstartScriptTests(VigilAppFixture fixture)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task The_quickstart_script_runs_in_order_against_a_started_Vigil_and_every_run_completes()
    {
        var repository = VigilLayout.From(new ConfigurationBuilder().Build()).RepositoryRoot;
        var output = Directory.CreateTempSubdirectory("vigil-quickstart-");
        try
        {
            var info = new ProcessStartInfo("bash", [Path.Combine(repository, "examples", "quickstart.sh")])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = repository,
            };
            info.Environment["VIGIL_GATEWAY"] = fixture.GetEndpoint("gateway").ToString();
            info.Environment["VIGIL_ADMIN_KEY"] = fixture.AdminKey;
            info.Environment["VIGIL_QUICKSTART_OUT"] = output.FullName;
            info.Environment.Remove("VIGIL_KEY");

            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Limit);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"quickstart.sh ran past {Limit}; its output so far:\n{await stdout}\n{await stderr}");
            }
            var text = await stdout;
            var transcript = $"exit {process.ExitCode}\n{text}\n{await stderr}";

            Assert.True(process.ExitCode == 0, transcript);
            // Three runs end completed: the CSV batch, the reconciliation and the NDJSON batch scored by the trained model.
            Assert.True(text.Split('\n').Count(line => line.StartsWith("run ", StringComparison.Ordinal) && line.Contains(": completed", StringComparison.Ordinal)) == 3, transcript);
            Assert.Contains("trained and promoted", text, StringComparison.Ordinal);
            // The reports it says it downloaded are there, and the defects report lists the batch's failing rows.
            foreach (var report in new[] { "validation.json", "defects.csv", "scores.csv", "anomalies.json", "reconciliation.csv", "anomalies-day2.json" })
                Assert.True(new FileInfo(Path.Combine(output.FullName, report)).Length > 0, $"{report} is missing or empty.\n{transcript}");
            Assert.True(File.ReadLines(Path.Combine(output.FullName, "defects.csv")).Count() > 1, transcript);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
