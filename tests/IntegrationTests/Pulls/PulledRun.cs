using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Contracts;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Pulls;

/// <summary>
/// What every pull test that reconciles shares, whatever the database: pull, which must be accepted (a refusal prints
/// Ingest's last log lines), wait for the run, and check it completed with the target's rows and the expected counts.
/// </summary>
internal static class PulledRun
{
    public static async Task<Run> PullAsync(VigilAppFixture fixture, string dataset)
    {
        using var response = await fixture.Api.PostPullAsync(dataset);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted,
            $"{await response.Content.ReadAsStringAsync()} {string.Join(" | ", fixture.RecentLogs("ingest").TakeLast(10))}");
        var accepted = await response.Content.ReadFromJsonAsync<AcceptedBatch>(JsonSerializerOptions.Web);
        return await fixture.Api.WaitForRunAsync(accepted!.RunId);
    }

    /// <summary>Asserts the run completed with <paramref name="targetRows"/> rows and these reconciliation counts; <paramref name="nullsIntroduced"/> only when given.</summary>
    public static ReconciliationSummary AssertReconciled(Run run, long targetRows, long sourceRows, long missingInTarget, long unexpectedInTarget,
        long changedRecords, long? nullsIntroduced = null)
    {
        Assert.Equal("completed", run.Status);
        Assert.Equal(targetRows, run.RowCount);
        var reconciliation = run.Validation?.Reconciliation;
        Assert.NotNull(reconciliation);
        Assert.Equal(sourceRows, reconciliation.SourceRows);
        Assert.Equal(missingInTarget, reconciliation.MissingInTarget);
        Assert.Equal(unexpectedInTarget, reconciliation.UnexpectedInTarget);
        Assert.Equal(changedRecords, reconciliation.ChangedRecords);
        if (nullsIntroduced is { } nulls) Assert.Equal(nulls, reconciliation.NullsIntroduced);
        return reconciliation;
    }
}
