using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.S3.Model;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Scoring;

/// <summary>Models on ONNX Runtime end to end through the gateway: exported with each trained version, and uploaded by a user.</summary>
[Collection(VigilAppCollection.Name)]
public sealed class OnnxScoringTests(VigilAppFixture fixture)
{
    private const string OnnxRuntimeVersion = "1.32.0";
    private readonly ScoringClient _scoring = new(fixture);

    [Fact]
    public async Task A_trained_version_is_stored_as_onnx_graphs_and_batches_score_on_onnx_runtime()
    {
        var dataset = await RegisterAsync();
        var clean = (await fixture.Api.CompleteCsvAsync(dataset, PaymentBatches.Csv(3000, seed: 1, inject: false), "2026-11-01")).RunId;
        var version = (await _scoring.TrainAsync(dataset, new { runId = clean })).GetProperty("version").GetInt32();

        var stored = await OnnxFilesAsync(dataset, version);
        Assert.Equal(["autoencoder.onnx", "isolation_forest.onnx", "statistical.onnx"], stored.Keys.Order());
        Assert.All(stored.Values, size => Assert.True(size > 100));

        await _scoring.PromoteAsync(dataset, version);
        var scored = (await fixture.Api.SubmitCsvAsync(dataset, PaymentBatches.Csv(1000, seed: 2, inject: true), "2026-11-02")).RunId;
        var run = await fixture.Api.WaitForRunAsync(scored);

        Assert.Equal("completed", run.Status);
        var device = run.Device!;
        Assert.StartsWith($"cpu (ONNX Runtime {OnnxRuntimeVersion}", device);
        Assert.DoesNotContain("managed scorer", device);
        var flagged = await _scoring.AnomalyKeysAsync(scored, PaymentBatches.KeyColumn);
        Assert.All(PaymentBatches.Extreme.Select(PaymentBatches.Id), id => Assert.Contains(id, flagged));
    }

    [Fact]
    public async Task The_devices_endpoint_says_models_score_on_onnx_runtime_on_the_cpu_and_why_not_cuda()
    {
        var devices = await fixture.Gateway.GetFromJsonAsync<JsonElement>("/api/system/devices");

        Assert.Equal("auto", devices.GetProperty("requested").GetString());
        Assert.Equal("onnxruntime", devices.GetProperty("scorer").GetString());
        Assert.StartsWith($"cpu (ONNX Runtime {OnnxRuntimeVersion}", devices.GetProperty("device").GetString());
        // The CPU package (Microsoft.ML.OnnxRuntime) has no CUDA provider, so auto settled on the CPU and says why.
        Assert.Contains("CUDA", devices.GetProperty("fallbackReason").GetString());
        var runtime = devices.GetProperty("onnxRuntime");
        Assert.True(runtime.GetProperty("available").GetBoolean());
        Assert.Equal(OnnxRuntimeVersion, runtime.GetProperty("version").GetString());
        Assert.Contains("CPUExecutionProvider", runtime.GetProperty("providers").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task An_uploaded_onnx_autoencoder_is_checked_calibrated_and_then_scores_like_a_trained_version()
    {
        var dataset = await RegisterAsync();
        var clean = (await fixture.Api.CompleteCsvAsync(dataset, PaymentBatches.Csv(3000, seed: 1, inject: false), "2026-11-03")).RunId;
        var trained = (await _scoring.TrainAsync(dataset, new { runId = clean })).GetProperty("version").GetInt32();
        var pipeline = await fixture.Gateway.GetFromJsonAsync<JsonElement>($"/api/datasets/{dataset}/models/{trained}/pipeline");
        var width = pipeline.GetProperty("featureNames").GetArrayLength();
        var pipelineJson = pipeline.ToString();

        await ExpectRefusedAsync(dataset, [1, 2, 3, 4], pipelineJson, clean, HttpStatusCode.BadRequest, "ONNX");
        await ExpectRefusedAsync(dataset, ForeignOnnxAutoencoder.Linear(width + 1, width + 1), pipelineJson, clean, HttpStatusCode.BadRequest, width.ToString());
        await ExpectRefusedAsync(dataset, ForeignOnnxAutoencoder.Linear(width, width), "{\"not\": \"a pipeline\"}", clean, HttpStatusCode.BadRequest, "pipeline");
        await ExpectRefusedAsync(dataset, ForeignOnnxAutoencoder.Linear(width, width), pipelineJson, Guid.NewGuid(), HttpStatusCode.NotFound, "not a validated batch");

        // Reconstructing every record as the all-zero vector (the scaled features' centre): the error is the distance from it.
        using var upload = await UploadAsync(dataset, ForeignOnnxAutoencoder.Linear(width, width), pipelineJson, clean);
        Assert.True(upload.StatusCode == HttpStatusCode.Created, await upload.Content.ReadAsStringAsync());
        var uploaded = await upload.Content.ReadFromJsonAsync<JsonElement>();
        var version = uploaded.GetProperty("version").GetInt32();
        Assert.Equal("testing", uploaded.GetProperty("status").GetString());
        Assert.Equal("uploaded", uploaded.GetProperty("metrics").GetProperty("weights").GetProperty("source").GetString());
        Assert.Contains("uploaded_autoencoder.onnx", (await OnnxFilesAsync(dataset, version)).Keys);

        await _scoring.PromoteAsync(dataset, version);
        var scored = (await fixture.Api.SubmitCsvAsync(dataset, PaymentBatches.Csv(1000, seed: 2, inject: true), "2026-11-04")).RunId;
        var run = await fixture.Api.WaitForRunAsync(scored);

        Assert.Equal("completed", run.Status);
        Assert.Equal($"v{version}", run.ModelVersion);
        Assert.StartsWith($"cpu (ONNX Runtime {OnnxRuntimeVersion}", run.Device);
        var flagged = await _scoring.AnomalyKeysAsync(scored, PaymentBatches.KeyColumn);
        Assert.All(PaymentBatches.Extreme.Select(PaymentBatches.Id), id => Assert.Contains(id, flagged));

        // Streamed events of the dataset are scored by the uploaded model too.
        var events = new Events.EventsClient(fixture);
        using (var posted = await events.PostNdjsonAsync(dataset, [Payment("ev-ok", 150, 3), Payment("ev-odd", 6000, 3)]))
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        await events.WaitForScoredAsync(dataset, 2);
        var anomaly = Assert.Single(await events.AnomaliesAsync(dataset));
        Assert.Equal("ev-odd", anomaly.GetProperty("key").GetProperty(PaymentBatches.KeyColumn).GetString());
        Assert.Equal(version, anomaly.GetProperty("modelVersion").GetInt32());
    }

    private static string Payment(string id, double amount, double fee) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        [PaymentBatches.KeyColumn] = id, ["tier"] = "plus", ["amount"] = amount, ["fee"] = fee, ["items"] = 2, ["channel"] = "web",
    });

    private async Task<string> RegisterAsync()
    {
        var dataset = $"tests.onnx_{Guid.NewGuid():n}"[..24];
        await fixture.RegisterDatasetAsync(dataset, new { keyColumns = new[] { PaymentBatches.KeyColumn } });
        return dataset;
    }

    private async Task<HttpResponseMessage> UploadAsync(string dataset, byte[] model, string pipeline, Guid calibrationRun)
    {
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(model), "model", "autoencoder.onnx" },
            { new StringContent(pipeline), "pipeline" },
            { new StringContent(calibrationRun.ToString()), "calibrationRun" },
        };
        return await fixture.Gateway.PostAsync($"/api/datasets/{dataset}/models", form);
    }

    private async Task ExpectRefusedAsync(string dataset, byte[] model, string pipeline, Guid calibrationRun, HttpStatusCode status, string reason)
    {
        using var response = await UploadAsync(dataset, model, pipeline, calibrationRun);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(reason, text, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A version's ONNX files in the object store, by file name, with their sizes.</summary>
    private async Task<Dictionary<string, long>> OnnxFilesAsync(string dataset, int version)
    {
        var prefix = $"models/{dataset}/v{version}/onnx/";
        var listing = await fixture.ObjectStore.ListObjectsV2Async(new ListObjectsV2Request { BucketName = fixture.Bucket, Prefix = prefix });
        return (listing.S3Objects ?? []).ToDictionary(o => o.Key[prefix.Length..], o => o.Size ?? 0);
    }
}
