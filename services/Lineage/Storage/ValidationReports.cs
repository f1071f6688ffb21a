using System.Net;
using System.Text.Json;
using Amazon.S3;
using Vigil.Lineage.OpenLineage;
using Vigil.ServiceDefaults.ObjectStore;

namespace Vigil.Lineage.Storage;

/// <summary>
/// Reads the typed columns of a validated batch from its validation report (the claim-check a BatchValidated carries).
/// A report that is gone or not in the expected shape gives null, and the events name the columns without types.
/// </summary>
public sealed partial class ValidationReports(IAmazonS3 s3, ObjectStoreOptions store, ILogger<ValidationReports> logger)
{
    public async Task<ValidatedColumns?> ReadColumnsAsync(string reportKey, CancellationToken cancellationToken)
    {
        try
        {
            using var report = await s3.GetWholeObjectAsync(store.Bucket, reportKey, cancellationToken);
            using var json = await JsonDocument.ParseAsync(report.ResponseStream, cancellationToken: cancellationToken);
            var columns = ValidatedColumns.FromReport(json.RootElement);
            if (columns is null) LogUnreadable(logger, reportKey, "it has no schema.columns with names");
            return columns;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            LogUnreadable(logger, reportKey, "it is not in the object store");
            return null;
        }
        catch (JsonException e)
        {
            LogUnreadable(logger, reportKey, e.Message);
            return null;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Validation report {ReportKey} gives no column types ({Reason}); the schema facet names the columns only")]
    private static partial void LogUnreadable(ILogger logger, string reportKey, string reason);
}
