using Amazon.S3;
using Vigil.ServiceDefaults.ObjectStore;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.Models;

/// <summary>Reads a raw batch back from the object store into typed columns (claim-check: messages carry only its key).</summary>
public sealed class BatchLoader(IAmazonS3 s3, ObjectStoreOptions objects)
{
    public async Task<TypedTable> LoadAsync(string objectKey, string contentType, char delimiter, CancellationToken cancellationToken)
    {
        using var raw = await s3.GetObjectAsync(objects.Bucket, objectKey, cancellationToken);
        return TableReader.Read(raw.ResponseStream, contentType, TableReadOptions.Default with { Delimiter = delimiter });
    }

    /// <summary>Zero-based rows listed in a validation defects.csv (its 'row' column is one-based), to leave out of training.</summary>
    public async Task<IReadOnlySet<int>> FailingRowsAsync(string? defectsKey, CancellationToken cancellationToken)
    {
        var rows = new HashSet<int>();
        if (defectsKey is null) return rows;
        using var defects = await s3.GetObjectAsync(objects.Bucket, defectsKey, cancellationToken);
        var table = TableReader.Read(defects.ResponseStream, TableReader.CsvMediaType);
        if (!table.TryGetColumn("row", out var row) || row.Type != ColumnType.Integer) return rows;
        for (var i = 0; i < table.RowCount; i++)
        {
            if (!row.IsNull(i)) rows.Add((int)row.GetInt64(i) - 1);
        }
        return rows;
    }
}
