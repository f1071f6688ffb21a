using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Vigil.IntegrationTests.Alerting;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Hooks;

/// <summary>Completion callbacks: a batch's callbackUrl gets the signed run summary when the run ends, retried until it is taken.</summary>
[Collection(VigilAppCollection.Name)]
public sealed class CallbackTests(VigilAppFixture fixture)
{
    private async Task<string> DatasetAsync()
    {
        var dataset = $"tests.cb_{Guid.NewGuid():n}"[..23];
        await fixture.RegisterDatasetAsync(dataset, new { keyColumns = new[] { HookBatches.KeyColumn } });
        return dataset;
    }

    /// <summary>The receiver's own check of the signature: HMAC-SHA256 of the body bytes under the shared secret.</summary>
    private bool SignedBySecret(ReceivedWebhook received)
    {
        var expected = "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(fixture.CallbackSigningSecret), Encoding.UTF8.GetBytes(received.Body))).ToLowerInvariant();
        return received.Headers.TryGetValue("X-Vigil-Signature", out var header)
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(header));
    }

    [Fact]
    public async Task A_completed_run_posts_its_signed_summary_and_retries_until_the_receiver_takes_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailNext("done", 2, StatusCodes.Status503ServiceUnavailable);
        var dataset = await DatasetAsync();

        var runId = (await fixture.Api.SubmitCsvAsync(dataset, HookBatches.Csv(100, withOutliers: false), executionDate: null, callbackUrl: receiver.Url("done"))).RunId;

        var received = await receiver.WaitForAsync("done", 3, TimeSpan.FromSeconds(90));
        Assert.Equal([503, 503, 200], received.Select(r => r.AnsweredStatus));
        Assert.All(received, r => Assert.True(SignedBySecret(r), $"bad signature on {r}"));
        var body = received[^1].Json;
        Assert.Equal("run.completed", body.GetProperty("event").GetString());
        Assert.Equal(runId, body.GetProperty("runId").GetGuid());
        Assert.Equal(dataset, body.GetProperty("dataset").GetString());
        Assert.Equal(100, body.GetProperty("run").GetProperty("rowCount").GetInt64());
        Assert.Equal(JsonValueKind.Object, body.GetProperty("run").GetProperty("validation").ValueKind);
        Assert.Equal($"{runId}/3", received[^1].Headers["X-Vigil-Delivery"]);

        var callback = await DeliveryAsync(runId, "delivered");
        Assert.Equal(3, callback.Attempts);
        Assert.Equal(200, callback.LastStatusCode);
        Assert.DoesNotContain(fixture.CallbackSigningSecret, (await fixture.Gateway.GetStringAsync($"/api/runs/{runId}")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_failed_run_posts_its_reason_and_a_tampered_body_would_not_verify()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var dataset = await DatasetAsync();

        var runId = (await fixture.Api.SubmitCsvAsync(dataset, "order_id,amount\no-1,10\no-2,20,extra,fields\n", executionDate: null, callbackUrl: receiver.Url("failed"))).RunId;

        var received = Assert.Single(await receiver.WaitForAsync("failed", 1, TimeSpan.FromSeconds(60)));
        Assert.True(SignedBySecret(received));
        Assert.False(SignedBySecret(received with { Body = received.Body.Replace("failed", "completed") }));
        Assert.Equal("run.failed", received.Json.GetProperty("event").GetString());
        Assert.Equal(runId, received.Json.GetProperty("runId").GetGuid());
        Assert.False(string.IsNullOrEmpty(received.Json.GetProperty("run").GetProperty("failure").GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task A_receiver_that_never_takes_it_is_given_up_after_the_last_attempt_with_the_reason_recorded()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailNext("down", 100, StatusCodes.Status500InternalServerError);
        var dataset = await DatasetAsync();

        var runId = (await fixture.Api.SubmitCsvAsync(dataset, HookBatches.Csv(50, withOutliers: false), executionDate: null, callbackUrl: receiver.Url("down"))).RunId;

        var callback = await DeliveryAsync(runId, "gave_up");
        Assert.Equal(CallbackEnvironment.MaxAttempts, callback.Attempts);
        Assert.Equal(500, callback.LastStatusCode);
        Assert.Contains("500", callback.LastError);
        Assert.Equal(CallbackEnvironment.MaxAttempts, receiver.For("down").Count);
    }

    [Theory]
    [InlineData("ftp://hooks.example.com/done", "scheme 'ftp'")]
    [InlineData("http://169.254.169.254/latest/meta-data", "link-local")]
    [InlineData("http://10.1.2.3/hook", "private")]
    [InlineData("http://localhost:8080/hook", "loopback")]
    [InlineData("http://[::1]:8080/hook", "loopback")]
    [InlineData("http://user:pass@hooks.example.com/done", "credentials")]
    [InlineData("/relative/hook", "absolute")]
    public async Task A_callback_url_that_is_not_http_or_points_inside_is_refused_with_problem_json_and_no_run(string url, string reason)
    {
        var dataset = await DatasetAsync();

        using var response = await fixture.Api.PostCsvAsync(dataset, HookBatches.Csv(10, withOutliers: false), executionDate: null, callbackUrl: url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Invalid callback URL", problem.GetProperty("title").GetString());
        Assert.Contains(reason, problem.GetProperty("detail").GetString());
        Assert.Equal(0, (await fixture.Api.ListRunsAsync($"dataset={dataset}")).Total);
    }

    /// <summary>Polls the run until its callback reaches <paramref name="state"/>; returns the callback.</summary>
    private async Task<RunCallback> DeliveryAsync(Guid runId, string state) =>
        (await fixture.Api.PollRunAsync(runId, run => run.Callback?.State == state, TimeSpan.FromSeconds(90))).Callback!;
}
