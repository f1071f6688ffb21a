using Amazon.S3;
using Amazon.S3.Model;
using Vigil.Contracts;
using Vigil.Scoring.Models;
using Vigil.ServiceDefaults.ObjectStore;

namespace Vigil.Scoring.Reports;

/// <summary>
/// Writes a scored run's reports to the object store at the same time: the anomaly report (small, one PUT) and the
/// scores report (one line per row, formatted in parallel blocks and streamed up as a multipart upload).
/// </summary>
public sealed class ScoringReportWriter(IAmazonS3 s3, ObjectStoreOptions objects)
{
    /// <summary>The reports written, by kind (anomalies, scores).</summary>
    public async Task<IReadOnlyDictionary<string, string>> WriteAsync(string dataset, Guid runId, IReadOnlyList<string> keyColumns,
        BatchScoring.Scored scored, CancellationToken cancellationToken)
    {
        var anomaliesKey = AnomalyReport.Key(dataset, runId);
        var scoresKey = ScoresReport.Key(dataset, runId);
        await Task.WhenAll(
            s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = objects.Bucket, Key = anomaliesKey, ContentType = "text/csv",
                InputStream = new MemoryStream(AnomalyReport.Utf8(scored.Anomalies, keyColumns), writable: false),
            }, cancellationToken),
            WriteScoresAsync(scoresKey, keyColumns, scored, cancellationToken));
        return new Dictionary<string, string> { [ReportKinds.Anomalies] = anomaliesKey, [ReportKinds.Scores] = scoresKey };
    }

    private async Task WriteScoresAsync(string key, IReadOnlyList<string> keyColumns, BatchScoring.Scored scored, CancellationToken cancellationToken)
    {
        await using var upload = new MultipartObjectUpload(s3, objects.Bucket, key, "text/csv");
        await ScoresReport.WriteAsync(block => upload.WriteAsync(block, cancellationToken), scored.Table, keyColumns, scored.Scores,
            parallelBlocks: Math.Max(2, Environment.ProcessorCount), cancellationToken);
        await upload.CompleteAsync(cancellationToken);
    }
}
