using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Features;
using Vigil.Scoring.Models;
using Vigil.Scoring.Onnx;
using Vigil.Scoring.Onnx.Runtime;
using Vigil.Scoring.Onnx.Scoring;
using Vigil.Scoring.Storage;
using Vigil.ServiceDefaults.Problems;

namespace Vigil.Scoring.Apis;

/// <summary>
/// Bring your own model: an autoencoder trained elsewhere (PyTorch, scikit-learn, ...) exported as ONNX, with the
/// feature pipeline whose vectors it reads, calibrated here on a validated run's normal records and then used like a
/// trained version (testing, promote, roll back, shadow scoring). The graph runs on ONNX Runtime only.
/// </summary>
public static class ModelUploadsApi
{
    public const string ModelPart = "model";
    public const string PipelinePart = "pipeline";
    public const string CalibrationRunPart = "calibrationRun";

    public static RouteGroupBuilder MapModelUploads(this RouteGroupBuilder models)
    {
        models.MapPost("", UploadModel).Accepts<IFormFile>("multipart/form-data").WithName("UploadModel")
            .WithSummary("Upload an ONNX autoencoder (multipart: 'model' = the .onnx file, input [N, F] -> reconstruction [N, F]; 'pipeline' = "
                + "the feature pipeline JSON; 'calibrationRun' = a validated run of normal records). The new version starts as 'testing'.");
        models.MapGet("{version:int}/pipeline", Pipeline).WithName("ModelPipeline")
            .WithSummary("A version's feature names, in order, and its feature pipeline document: the vector an uploaded autoencoder reads.");
        return models;
    }

    public static async Task<Results<Created<ModelsApi.ModelView>, ProblemHttpResult>> UploadModel(
        string name, HttpRequest request, OnnxRuntimeHost host, ScoringStore store, ModelRegistry registry, BatchLoader loader, CancellationToken cancellationToken)
    {
        if (!host.IsAvailable)
            return ApiProblem.Unprocessable("ONNX Runtime is not available",
                $"Uploaded models run on ONNX Runtime, which this scoring service cannot use: {host.FailureReason}");
        var form = await request.ReadFormAsync(cancellationToken);
        if (form.Files.GetFile(ModelPart) is not { Length: > 0 } modelFile)
            return ApiProblem.BadRequest("Missing model", $"Send the ONNX file as the multipart file part '{ModelPart}'.");
        var pipelineJson = form.Files.GetFile(PipelinePart) is { } pipelineFile ? await ReadTextAsync(pipelineFile, cancellationToken) : form[PipelinePart].ToString();
        if (string.IsNullOrWhiteSpace(pipelineJson))
            return ApiProblem.BadRequest("Missing pipeline", $"Send the feature pipeline JSON as the part '{PipelinePart}' (GET .../models/{{version}}/pipeline gives one).");
        if (!Guid.TryParse(form[CalibrationRunPart], out var runId))
            return ApiProblem.BadRequest("Missing calibration run", $"Send '{CalibrationRunPart}': the id of a validated run of '{name}' whose normal records calibrate the model.");

        FeaturePipeline pipeline;
        try
        {
            pipeline = ReadPipeline(pipelineJson);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            return ApiProblem.BadRequest("Invalid pipeline", e.Message);
        }

        var graph = await ReadBytesAsync(modelFile, cancellationToken);
        UserAutoencoderDetector loaded;
        try
        {
            OnnxModelInspector.ValidateAutoencoder(graph, pipeline.FeatureNames.Count);
            loaded = CreateDetector(host.CreateSession(graph), pipeline);
        }
        catch (Exception e) when (e is OnnxModelException or OnnxRuntimeException)
        {
            return ApiProblem.BadRequest("Invalid ONNX model", e.Message);
        }

        using var autoencoder = loaded;
        if (await store.FindBatchAsync(runId, cancellationToken) is not { } batch || batch.Dataset != name)
            return ApiProblem.NotFound("Unknown run", $"Run {runId} is not a validated batch of '{name}'.");
        try
        {
            var table = await loader.LoadAsync(batch.ObjectKey, batch.ContentType, batch.CsvDelimiter, cancellationToken);
            var excluded = await loader.FailingRowsAsync(batch.DefectsKey, cancellationToken);
            var (model, metrics) = await Task.Run(() => UploadedModelCalibrator.Calibrate(pipeline, table, excluded, autoencoder, new ThresholdPolicy()), cancellationToken);
            var version = await registry.AddAsync(name, model, metrics, [runId], cancellationToken, uploadedAutoencoder: graph);
            var stored = (await store.ModelsAsync(name, cancellationToken)).Single(m => m.Version == version);
            return TypedResults.Created($"/api/datasets/{name}/models/{version}", ModelsApi.ModelView.From(stored));
        }
        catch (Exception e) when (e is TrainingException or FeaturePipelineException or OnnxRuntimeException)
        {
            return ApiProblem.Unprocessable("The uploaded model could not be calibrated", e.Message);
        }
    }

    /// <summary>A version's feature vector, in order, and the pipeline document that produces it (what an upload's 'pipeline' part takes).</summary>
    public sealed record PipelineView(IReadOnlyList<string> FeatureNames, System.Text.Json.JsonElement Pipeline);

    public static async Task<Results<Ok<PipelineView>, ProblemHttpResult>> Pipeline(string name, int version, ModelRegistry registry, CancellationToken cancellationToken) =>
        await registry.FindAsync(name, version, cancellationToken) is { } model
            ? TypedResults.Ok(new PipelineView(model.Pipeline.FeatureNames, System.Text.Json.JsonDocument.Parse(model.Pipeline.ToJson()).RootElement))
            : ApiProblem.NotFound("Unknown model version", $"'{name}' has no model version {version}.");

    /// <summary>The pipeline document itself, or the <see cref="PipelineView"/> that GET .../pipeline returns.</summary>
    private static FeaturePipeline ReadPipeline(string json)
    {
        System.Text.Json.Nodes.JsonNode? root;
        try
        {
            root = System.Text.Json.Nodes.JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"The pipeline is not JSON: {e.Message}", e);
        }
        return FeaturePipeline.FromJson(root is System.Text.Json.Nodes.JsonObject wrapper && wrapper["pipeline"] is { } inner ? inner.ToJsonString() : json);
    }

    /// <summary>The session's shapes are checked once more by the detector (symbolic widths pass the inspector).</summary>
    private static UserAutoencoderDetector CreateDetector(OnnxSession session, FeaturePipeline pipeline)
    {
        try
        {
            return new UserAutoencoderDetector(session, pipeline.FeatureNames);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static async Task<string> ReadTextAsync(IFormFile file, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(file.OpenReadStream());
        return await reader.ReadToEndAsync(cancellationToken);
    }

    private static async Task<byte[]> ReadBytesAsync(IFormFile file, CancellationToken cancellationToken)
    {
        using var bytes = new MemoryStream((int)file.Length);
        await file.CopyToAsync(bytes, cancellationToken);
        return bytes.ToArray();
    }
}
