using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Onnx.Export;
using Vigil.Scoring.Storage;
using Vigil.ServiceDefaults.ObjectStore;

namespace Vigil.Scoring.Models;

/// <summary>
/// Model versions: artefacts (the whole ensemble as one JSON document) in the object store under
/// <c>models/{dataset}/v{version}/model.json</c>, metadata and status in Postgres. Loaded models are cached by version,
/// within <see cref="ScoringOptions.ModelCache"/>'s bounds.
/// </summary>
public sealed class ModelRegistry(ScoringStore store, IAmazonS3 s3, ObjectStoreOptions objects, IOptions<ScoringOptions> options, TimeProvider clock)
{
    private readonly VersionCache<(string Dataset, int Version), EnsembleModel> _loaded =
        new(options.Value.ModelCache.MaxVersions, options.Value.ModelCache.IdleLimit, clock);

    public static string ArtefactKey(string dataset, int version) => $"models/{dataset}/v{version}/model.json";

    /// <summary>Where a version's ONNX graphs live, one file per detector (statistical.onnx, isolation_forest.onnx, autoencoder.onnx).</summary>
    public static string OnnxPrefix(string dataset, int version) => $"models/{dataset}/v{version}/onnx/";

    /// <summary>A user's ONNX autoencoder, stored beside the graphs exported from the model.</summary>
    public const string UploadedAutoencoderFile = "uploaded_autoencoder.onnx";

    /// <param name="uploadedAutoencoder">The ONNX graph of a model whose autoencoder was uploaded (<see cref="EnsembleModel.UploadedAutoencoder"/>).</param>
    public async Task<int> AddAsync(string dataset, EnsembleModel model, TrainingMetrics metrics, IReadOnlyList<Guid> trainedFrom, CancellationToken cancellationToken,
        byte[]? uploadedAutoencoder = null)
    {
        var metricsJson = System.Text.Json.JsonSerializer.SerializeToElement(metrics, System.Text.Json.JsonSerializerOptions.Web);
        var json = model.ToJson();
        var version = await store.AddModelAsync(dataset, v => ArtefactKey(dataset, v), metricsJson, trainedFrom, cancellationToken);
        // The ONNX graphs go first: a version whose model.json exists is complete.
        if (model.UploadedAutoencoder != uploadedAutoencoder is not null)
            throw new ArgumentException("An uploaded autoencoder's graph is stored with exactly the model that uses it.", nameof(uploadedAutoencoder));
        var files = new Dictionary<string, byte[]>(EnsembleExporter.Export(model));
        if (uploadedAutoencoder is not null) files[UploadedAutoencoderFile] = uploadedAutoencoder;
        foreach (var (file, bytes) in files)
        {
            await s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = objects.Bucket, Key = OnnxPrefix(dataset, version) + file, InputStream = new MemoryStream(bytes), ContentType = OnnxContentType,
            }, cancellationToken);
        }
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = objects.Bucket, Key = ArtefactKey(dataset, version), ContentBody = json, ContentType = "application/json" }, cancellationToken);
        _loaded.Set((dataset, version), model);
        return version;
    }

    public const string OnnxContentType = "application/onnx";

    /// <summary>
    /// A version's ONNX graphs by file name, as stored with it; a version stored before exports existed is exported now
    /// from its model document (the export is deterministic, so this gives the same graphs).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, byte[]>> OnnxFilesAsync(string dataset, int version, EnsembleModel model, CancellationToken cancellationToken)
    {
        var prefix = OnnxPrefix(dataset, version);
        var listing = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = objects.Bucket, Prefix = prefix }, cancellationToken);
        if (listing.S3Objects is not { Count: > 0 } stored) return EnsembleExporter.Export(model);
        var files = new Dictionary<string, byte[]>();
        foreach (var entry in stored)
        {
            using var response = await s3.GetWholeObjectAsync(objects.Bucket, entry.Key, cancellationToken);
            using var bytes = new MemoryStream();
            await response.ResponseStream.CopyToAsync(bytes, cancellationToken);
            files[entry.Key[prefix.Length..]] = bytes.ToArray();
        }
        return files;
    }

    /// <summary>The active model of a dataset with its version, or null when none is active.</summary>
    public Task<(EnsembleModel Model, int Version)?> ActiveAsync(string dataset, CancellationToken cancellationToken) =>
        WithStatusAsync(dataset, "active", cancellationToken);

    /// <summary>The newest model under test (status testing), which shadow-scores beside the active one.</summary>
    public Task<(EnsembleModel Model, int Version)?> TestingAsync(string dataset, CancellationToken cancellationToken) =>
        WithStatusAsync(dataset, "testing", cancellationToken);

    /// <summary>A version of a dataset's model whatever its status, or null when there is no such version.</summary>
    public async Task<EnsembleModel?> FindAsync(string dataset, int version, CancellationToken cancellationToken)
    {
        var record = (await store.ModelsAsync(dataset, cancellationToken)).FirstOrDefault(m => m.Version == version);
        return record is null ? null : await LoadAsync(record, cancellationToken);
    }

    private async Task<(EnsembleModel Model, int Version)?> WithStatusAsync(string dataset, string status, CancellationToken cancellationToken)
    {
        var record = (await store.ModelsAsync(dataset, cancellationToken)).FirstOrDefault(m => m.Status == status);
        return record is null ? null : (await LoadAsync(record, cancellationToken), record.Version);
    }

    private async Task<EnsembleModel> LoadAsync(ModelRecord record, CancellationToken cancellationToken)
    {
        if (_loaded.TryGet((record.Dataset, record.Version), out var model)) return model;
        using var artefact = await s3.GetWholeObjectAsync(objects.Bucket, record.ArtefactKey, cancellationToken);
        using var reader = new StreamReader(artefact.ResponseStream);
        model = EnsembleModel.FromJson(await reader.ReadToEndAsync(cancellationToken));
        _loaded.Set((record.Dataset, record.Version), model);
        return model;
    }
}
