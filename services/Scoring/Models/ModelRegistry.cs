using System.Collections.Concurrent;
using Amazon.S3;
using Amazon.S3.Model;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Storage;
using Vigil.ServiceDefaults.ObjectStore;

namespace Vigil.Scoring.Models;

/// <summary>
/// Model versions: artefacts (the whole ensemble as one JSON document) in the object store under
/// <c>models/{dataset}/v{version}/model.json</c>, metadata and status in Postgres. Loaded models are cached by version.
/// </summary>
public sealed class ModelRegistry(ScoringStore store, IAmazonS3 s3, ObjectStoreOptions objects)
{
    private readonly ConcurrentDictionary<(string Dataset, int Version), EnsembleModel> _loaded = new();

    public static string ArtefactKey(string dataset, int version) => $"models/{dataset}/v{version}/model.json";

    public async Task<int> AddAsync(string dataset, EnsembleModel model, TrainingMetrics metrics, IReadOnlyList<Guid> trainedFrom, CancellationToken cancellationToken)
    {
        var metricsJson = System.Text.Json.JsonSerializer.SerializeToElement(metrics, System.Text.Json.JsonSerializerOptions.Web);
        var json = model.ToJson();
        var version = await store.AddModelAsync(dataset, v => ArtefactKey(dataset, v), metricsJson, trainedFrom, cancellationToken);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = objects.Bucket, Key = ArtefactKey(dataset, version), ContentBody = json, ContentType = "application/json" }, cancellationToken);
        _loaded[(dataset, version)] = model;
        return version;
    }

    /// <summary>The active model of a dataset with its version, or null when none is active.</summary>
    public Task<(EnsembleModel Model, int Version)?> ActiveAsync(string dataset, CancellationToken cancellationToken) =>
        WithStatusAsync(dataset, "active", cancellationToken);

    /// <summary>The newest model under test (status testing), which shadow-scores beside the active one.</summary>
    public Task<(EnsembleModel Model, int Version)?> TestingAsync(string dataset, CancellationToken cancellationToken) =>
        WithStatusAsync(dataset, "testing", cancellationToken);

    private async Task<(EnsembleModel Model, int Version)?> WithStatusAsync(string dataset, string status, CancellationToken cancellationToken)
    {
        var active = (await store.ModelsAsync(dataset, cancellationToken)).FirstOrDefault(m => m.Status == status);
        if (active is null) return null;
        if (!_loaded.TryGetValue((dataset, active.Version), out var model))
        {
            using var artefact = await s3.GetObjectAsync(objects.Bucket, active.ArtefactKey, cancellationToken);
            using var reader = new StreamReader(artefact.ResponseStream);
            model = EnsembleModel.FromJson(await reader.ReadToEndAsync(cancellationToken));
            _loaded[(dataset, active.Version)] = model;
        }
        return (model, active.Version);
    }
}
