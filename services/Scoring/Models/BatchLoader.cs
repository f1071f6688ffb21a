using Amazon.S3;
using Vigil.ServiceDefaults.ObjectStore;
using Vigil.Tabular.Spill;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Models;

/// <summary>
/// Reads a batch back from the object store into typed columns (claim-check: messages carry only its key): from the
/// columnar spill Validation left next to it when there is one, else by parsing the raw object.
/// </summary>
public sealed partial class BatchLoader(IAmazonS3 s3, ObjectStoreOptions objects, ILogger<BatchLoader> logger)
{
    public async Task<TypedTable> LoadAsync(string objectKey, string contentType, char delimiter, CancellationToken cancellationToken)
    {
        using var raw = await s3.GetWholeObjectAsync(objects.Bucket, objectKey, cancellationToken);
        return TableReader.Read(raw.ResponseStream, contentType, TableReadOptions.Default with { Delimiter = delimiter });
    }

    /// <summary>
    /// The batch from its columnar spill <paramref name="columnsKey"/> (null: none); a spill that is missing, corrupt,
    /// truncated or made from another reading is logged and the raw object parsed instead, so the table is the same either way.
    /// </summary>
    public async Task<(TypedTable Table, bool FromSpill)> LoadAsync(string objectKey, string contentType, char delimiter, string? columnsKey,
        CancellationToken cancellationToken)
    {
        if (columnsKey is not null)
        {
            try
            {
                using var spill = await s3.GetWholeObjectAsync(objects.Bucket, columnsKey, cancellationToken);
                return (TableSpill.Read(spill.ResponseStream, spill.ContentLength, new SpillOrigin(objectKey, contentType, delimiter)), true);
            }
            catch (Exception e) when (e is SpillFormatException or AmazonS3Exception or IOException)
            {
                LogSpillUnusable(logger, columnsKey, e.Message);
            }
        }
        return (await LoadAsync(objectKey, contentType, delimiter, cancellationToken), false);
    }

    /// <summary>Zero-based rows listed in a validation defects.csv (its 'row' column is one-based), to leave out of training.</summary>
    public async Task<IReadOnlySet<int>> FailingRowsAsync(string? defectsKey, CancellationToken cancellationToken)
    {
        var rows = new HashSet<int>();
        if (defectsKey is null) return rows;
        using var defects = await s3.GetWholeObjectAsync(objects.Bucket, defectsKey, cancellationToken);
        var table = TableReader.Read(defects.ResponseStream, TableReader.CsvMediaType);
        if (!table.TryGetColumn("row", out var row) || row.Type != ColumnType.Integer) return rows;
        for (var i = 0; i < table.RowCount; i++)
        {
            if (!row.IsNull(i)) rows.Add((int)row.GetInt64(i) - 1);
        }
        return rows;
    }

    [LoggerMessage(LogLevel.Warning, "The columnar spill {ColumnsKey} cannot be used; reading the raw batch instead: {Reason}")]
    private static partial void LogSpillUnusable(ILogger logger, string columnsKey, string reason);
}
