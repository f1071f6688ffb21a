using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Scoring;

/// <summary>Training from several runs through the gateway, on their normal records only, and the training requests that are refused.</summary>
[Collection(VigilAppCollection.Name)]
public sealed class TrainingFromRunsTests(VigilAppFixture fixture)
{
    private const int Rows = 1500;
    private readonly ScoringClient _scoring = new(fixture);
    private readonly LifecycleClient _lifecycle = new(fixture);

    [Fact]
    public async Task A_model_trains_on_the_normal_records_of_two_runs_and_says_so()
    {
        var dataset = await RegisterAsync();
        // Run one: 3 rows break the amount rule (left out as defects); run two: 2 rows are labelled anomalies.
        var first = (await fixture.Api.SubmitCsvAsync(dataset, Orders(Rows, seed: 1, overRange: [10, 20, 30], labelled: []), "2026-11-01")).RunId;
        var second = (await fixture.Api.SubmitCsvAsync(dataset, Orders(Rows, seed: 2, overRange: [], labelled: [40, 50]), "2026-11-02")).RunId;
        Assert.Equal("completed", (await fixture.Api.WaitForRunAsync(first)).Status);
        Assert.Equal("completed", (await fixture.Api.WaitForRunAsync(second)).Status);

        var byList = await _scoring.TrainAsync(dataset, new { runs = new[] { first, second }, labelColumn = "label", thresholds = new { method = "meanStd", reviewK = 2, blockK = 4 } });
        var byLast = await _scoring.TrainAsync(dataset, new { lastRuns = 2, labelColumn = "label" });

        Assert.Equal([first, second], byList.GetProperty("trainedFromRuns").EnumerateArray().Select(r => r.GetGuid()));
        Assert.Equal(first, byList.GetProperty("trainedFrom").GetGuid());
        var metrics = byList.GetProperty("metrics");
        Assert.Equal(5, metrics.GetProperty("excludedRows").GetInt32());
        Assert.Equal(2 * Rows - 5, metrics.GetProperty("trainingRows").GetInt32() + metrics.GetProperty("calibrationRows").GetInt32());
        var thresholds = metrics.GetProperty("thresholds");
        Assert.Equal("meanStd", thresholds.GetProperty("method").GetString());
        Assert.True(thresholds.GetProperty("review").GetDouble() <= thresholds.GetProperty("block").GetDouble());
        Assert.Contains("perturbations", metrics.GetProperty("weights").GetProperty("source").GetString());
        Assert.Equal([first, second], byLast.GetProperty("trainedFromRuns").EnumerateArray().Select(r => r.GetGuid()).Order());

        // The models API lists both versions with what each was trained from.
        var models = await fixture.Gateway.GetFromJsonAsync<JsonElement>($"/api/datasets/{dataset}/models");
        Assert.Equal(2, models.GetArrayLength());
        Assert.All(models.EnumerateArray(), m => Assert.Equal(2, m.GetProperty("trainedFromRuns").GetArrayLength()));
    }

    [Fact]
    public async Task Records_a_reviewer_confirmed_as_anomalies_are_left_out_of_training_like_those_failing_a_rule()
    {
        var dataset = await RegisterAsync();
        var run = (await fixture.Api.SubmitCsvAsync(dataset, Orders(Rows, seed: 4, overRange: [10, 20, 30], labelled: []), "2026-11-04")).RunId;
        Assert.Equal("completed", (await fixture.Api.WaitForRunAsync(run)).Status);
        using (var confirmed = await _lifecycle.FeedbackAsync(run, "true_anomaly", "o4-00100", "o4-00200"))
            Assert.True(confirmed.StatusCode == HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());

        var metrics = (await _scoring.TrainAsync(dataset, new { runId = run })).GetProperty("metrics");

        Assert.Equal(5, metrics.GetProperty("excludedRows").GetInt32());
        Assert.Equal(Rows - 5, metrics.GetProperty("trainingRows").GetInt32() + metrics.GetProperty("calibrationRows").GetInt32()
            + metrics.GetProperty("trimmedRows").GetInt32());
    }

    [Fact]
    public async Task A_training_reads_the_typed_columns_validation_left_and_the_raw_batch_once_they_are_gone()
    {
        var dataset = await RegisterAsync();
        var accepted = await fixture.Api.SubmitCsvAsync(dataset, Orders(Rows, seed: 5, overRange: [], labelled: []), "2026-11-05");
        Assert.Equal("completed", (await fixture.Api.WaitForRunAsync(accepted.RunId)).Status);
        var spillKey = accepted.ObjectKey[..accepted.ObjectKey.LastIndexOf('.')] + ".columns";
        // Which one a training read shows in its row count: the raw object now holds a smaller batch than the spill.
        await fixture.ObjectStore.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest
        {
            BucketName = fixture.Bucket, Key = accepted.ObjectKey, ContentBody = Orders(300, seed: 6, overRange: [], labelled: []), ContentType = "text/csv",
        });

        var fromSpill = (await _scoring.TrainAsync(dataset, new { runId = accepted.RunId })).GetProperty("metrics");
        await fixture.ObjectStore.DeleteObjectAsync(fixture.Bucket, spillKey);
        var fromRaw = (await _scoring.TrainAsync(dataset, new { runId = accepted.RunId })).GetProperty("metrics");

        Assert.Equal(Rows, TrainedOn(fromSpill));
        Assert.Equal(300, TrainedOn(fromRaw));
    }

    private static int TrainedOn(JsonElement metrics) =>
        metrics.GetProperty("trainingRows").GetInt32() + metrics.GetProperty("calibrationRows").GetInt32()
        + metrics.GetProperty("trimmedRows").GetInt32() + metrics.GetProperty("excludedRows").GetInt32();

    [Fact]
    public async Task Training_requests_that_cannot_be_served_get_problem_json_with_the_reason()
    {
        var dataset = await RegisterAsync();
        var run = (await fixture.Api.SubmitCsvAsync(dataset, Orders(200, seed: 3, overRange: [], labelled: [.. Enumerable.Range(0, 200)]), "2026-11-03")).RunId;
        Assert.Equal("completed", (await fixture.Api.WaitForRunAsync(run)).Status);
        var unknown = Guid.NewGuid();

        await ExpectProblemAsync(dataset, new { runId = run, lastRuns = 1 }, HttpStatusCode.BadRequest, "exactly one");
        await ExpectProblemAsync(dataset, new { lastRuns = 0 }, HttpStatusCode.BadRequest, "between 1 and");
        await ExpectProblemAsync(dataset, new { runs = Array.Empty<Guid>() }, HttpStatusCode.BadRequest, "between 1 and");
        await ExpectProblemAsync(dataset, new { runs = new[] { run, unknown } }, HttpStatusCode.NotFound, unknown.ToString());
        await ExpectProblemAsync($"{dataset}_none", new { lastRuns = 3 }, HttpStatusCode.NotFound, "no validated run");
        // Every record labelled anomalous: nothing normal to learn from.
        await ExpectProblemAsync(dataset, new { runId = run, labelColumn = "label" }, HttpStatusCode.UnprocessableEntity, "normal records");
        await ExpectProblemAsync(dataset, new { runId = run, labelColumn = "no_such_column" }, HttpStatusCode.UnprocessableEntity, "no_such_column");
        await ExpectProblemAsync(dataset, new { runId = run, thresholds = new { reviewPercentile = 99.9, blockPercentile = 99 } }, HttpStatusCode.UnprocessableEntity, "percentiles");

        using var rollback = await fixture.Gateway.PostAsync($"/api/datasets/{dataset}/models/rollback", null);
        Assert.Equal(HttpStatusCode.Conflict, rollback.StatusCode);
        Assert.Equal("application/problem+json", rollback.Content.Headers.ContentType?.MediaType);
    }

    private async Task ExpectProblemAsync(string dataset, object body, HttpStatusCode status, string reason)
    {
        using var response = await fixture.Gateway.PostAsJsonAsync($"/api/datasets/{dataset}/models", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{JsonSerializer.Serialize(body)}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(reason, JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    private async Task<string> RegisterAsync()
    {
        var dataset = $"tests.training_{Guid.NewGuid():n}"[..28];
        await fixture.RegisterDatasetAsync(dataset, new
        {
            keyColumns = new[] { "order_id" },
            rules = new object[] { new { name = "amount_range", kind = "range", column = "amount", min = 0, max = 10000 } },
        });
        return dataset;
    }

    /// <summary>Orders where fee is about 2% of amount; <paramref name="overRange"/> rows break the amount rule.</summary>
    private static string Orders(int rows, int seed, int[] overRange, int[] labelled)
    {
        var random = new Random(seed);
        var text = new StringBuilder("order_id,amount,fee,items,channel,label\n");
        for (var i = 0; i < rows; i++)
        {
            var amount = Math.Round(20 + random.NextDouble() * 400, 2);
            if (overRange.Contains(i)) amount = 20_000 + i;
            var fee = Math.Round(amount * 0.02 + random.NextDouble() * 0.2, 2);
            text.Append(CultureInfo.InvariantCulture,
                $"o{seed}-{i:D5},{amount},{fee},{1 + random.Next(5)},{(random.Next(2) == 0 ? "web" : "app")},{(labelled.Contains(i) ? 1 : 0)}\n");
        }
        return text.ToString();
    }
}
