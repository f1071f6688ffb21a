using Amazon.S3;
using Vigil.Contracts;
using Vigil.ServiceDefaults.ObjectStore;
using Vigil.Tabular.Parsing;
using Vigil.Tabular.Tables;
using Vigil.Validation.Datasets;

namespace Vigil.Validation.Storage;

/// <summary>
/// What validating one batch needs: the dataset's compiled definition, the batch's rows (and the reconciliation
/// source's), the accepted schema baseline and the previous run's row count.
/// </summary>
public sealed record ValidationInput(
    CompiledDataset Dataset, TypedTable Table, TypedTable? Source, AcceptedSchema? Accepted, long? PreviousRowCount, char Delimiter);

/// <summary>A batch's <see cref="ValidationInput"/>, or the reason it cannot be validated (the run then fails with it).</summary>
public sealed record LoadedBatch(ValidationInput? Input, string? Failure);

/// <summary>Loads an ingested batch's <see cref="ValidationInput"/> from the dataset catalog, the object store and the run history.</summary>
public sealed class ValidationInputLoader(DatasetStore datasets, SchemaStore schemas, ValidationRunStore validationRuns, IAmazonS3 s3, ObjectStoreOptions store)
{
    public async Task<LoadedBatch> LoadAsync(BatchIngested batch, CancellationToken cancellationToken)
    {
        if (await datasets.FindAsync(batch.Dataset, cancellationToken) is not { } stored)
            return Failed($"Dataset '{batch.Dataset}' is not registered.");
        var (dataset, errors) = CompiledDataset.Compile(stored.Definition, stored.Version);
        if (dataset is null)
            return Failed($"Dataset '{batch.Dataset}' version {stored.Version} is not valid: {string.Join(" ", errors.SelectMany(e => e.Value))}");

        var readOptions = TableReadOptions.Default with { Delimiter = dataset.Definition.Delimiter[0] };
        TypedTable table;
        TypedTable? source = null;
        try
        {
            table = await ReadAsync(batch.ObjectKey, batch.ContentType, readOptions, cancellationToken);
            if (batch.ReconciliationSource is { } sourceObject)
                source = await ReadAsync(sourceObject.ObjectKey, sourceObject.ContentType, readOptions, cancellationToken, side: "source");
        }
        catch (BatchFormatException e)
        {
            return Failed(e.Message);
        }
        if (table.RowCount == 0)
            return Failed(table.Columns.Count == 0 ? "The batch is empty." : "The batch has a header but no rows.");

        var accepted = await schemas.LatestAsync(batch.Dataset, cancellationToken);
        var previousRowCount = await validationRuns.PreviousRowCountAsync(batch.Dataset, batch.RunId, cancellationToken);
        return new LoadedBatch(new ValidationInput(dataset, table, source, accepted, previousRowCount, readOptions.Delimiter), null);
    }

    private static LoadedBatch Failed(string reason) => new(null, reason);

    private async Task<TypedTable> ReadAsync(string key, string contentType, TableReadOptions options, CancellationToken cancellationToken, string? side = null)
    {
        using var raw = await s3.GetWholeObjectAsync(store.Bucket, key, cancellationToken);
        try
        {
            return TableReader.Read(raw.ResponseStream, contentType, options);
        }
        catch (BatchFormatException e) when (side is not null)
        {
            throw new BatchFormatException($"The {side} batch: {e.Message}", e);
        }
    }
}
