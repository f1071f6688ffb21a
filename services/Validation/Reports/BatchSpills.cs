using Amazon.S3;
using Vigil.Tabular.Spill;
using Vigil.Tabular.Tables;

namespace Vigil.Validation.Reports;

/// <summary>
/// Writes the typed columns of a batch Validation has read next to its raw object (<see cref="TableSpill"/>), so
/// Scoring reads them instead of parsing the same bytes again. The write runs beside validation; a spill that cannot
/// be written is logged and left out (Scoring then reads the raw object), never a reason to fail the run.
/// </summary>
public sealed partial class BatchSpills(ObjectWriter objects, IAmazonS3 s3, Vigil.ServiceDefaults.ObjectStore.ObjectStoreOptions store,
    ILogger<BatchSpills> logger)
{
    /// <summary>The spill sits next to the raw batch: raw/.../{run}.csv -> raw/.../{run}.columns.</summary>
    public static string KeyNextTo(string rawObjectKey)
    {
        var dot = rawObjectKey.LastIndexOf('.');
        var slash = rawObjectKey.LastIndexOf('/');
        return (dot > slash ? rawObjectKey[..dot] : rawObjectKey) + ".columns";
    }

    /// <summary>Starts writing the spill of <paramref name="table"/>, read from <paramref name="origin"/>; dispose the handle when the run is decided.</summary>
    public BatchSpill Begin(SpillOrigin origin, TypedTable table, CancellationToken cancellationToken)
    {
        var key = KeyNextTo(origin.ObjectKey);
        return new BatchSpill(this, key, Task.Run(() => WriteAsync(key, origin, table, cancellationToken), cancellationToken));
    }

    private async Task<string?> WriteAsync(string key, SpillOrigin origin, TypedTable table, CancellationToken cancellationToken)
    {
        try
        {
            await objects.PutAsync(key, TableSpill.MediaType, stream => TableSpill.Write(stream, table, origin), cancellationToken);
            return key;
        }
        catch (Exception e) when (e is AmazonS3Exception or IOException or NotSupportedException or System.Text.EncoderFallbackException or HttpRequestException)
        {
            LogNotWritten(logger, origin.ObjectKey, e.Message);
            return null;
        }
    }

    internal async Task DiscardAsync(string key)
    {
        try
        {
            await s3.DeleteObjectAsync(store.Bucket, key);
        }
        catch (Exception e) when (e is AmazonS3Exception or HttpRequestException)
        {
            LogNotDeleted(logger, key, e.Message);
        }
    }

    [LoggerMessage(LogLevel.Warning, "No columnar spill for {ObjectKey} (Scoring reads the raw batch instead): {Reason}")]
    private static partial void LogNotWritten(ILogger logger, string objectKey, string reason);

    [LoggerMessage(LogLevel.Warning, "The columnar spill {Key} of a run that did not pass validation could not be deleted: {Reason}")]
    private static partial void LogNotDeleted(ILogger logger, string key, string reason);
}

/// <summary>
/// A spill being written for one run: <see cref="HandOverAsync"/> gives its key for BatchValidated (null when it could
/// not be written); a spill not handed over (the run failed or was blocked) is deleted when the handle is disposed.
/// </summary>
public sealed class BatchSpill(BatchSpills owner, string key, Task<string?> writing) : IAsyncDisposable
{
    private bool _handedOver;

    public async Task<string?> HandOverAsync()
    {
        _handedOver = true;
        return await writing;
    }

    public async ValueTask DisposeAsync()
    {
        if (_handedOver) return;
        try
        {
            if (await writing is null) return;
        }
        catch (OperationCanceledException)
        {
        }
        await owner.DiscardAsync(key);
    }
}
