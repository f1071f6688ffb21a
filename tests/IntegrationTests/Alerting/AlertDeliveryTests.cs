using System.Text.Json;
using Vigil.Contracts;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Alerting;

/// <summary>Throttling, idempotency on redelivery, retries after an outage and dead letters, against real receivers.</summary>
[Collection(VigilAppCollection.Name)]
public sealed class AlertDeliveryTests(VigilAppFixture fixture) : IAsyncLifetime
{
    private readonly AlertsClient _alerts = new(fixture);
    private WebhookReceiver _hooks = null!;

    public async Task InitializeAsync() => _hooks = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _hooks.DisposeAsync();

    [Fact]
    public async Task The_same_condition_inside_the_window_is_suppressed_and_counted_and_the_next_alert_says_how_many()
    {
        var dataset = AlertsClient.NewDataset();
        var window = TimeSpan.FromSeconds(5);
        await _alerts.CreatePolicyAsync(new
        {
            dataset,
            name = "blocks",
            throttleWindow = "00:00:05",
            conditions = new object[] { new { kind = "block_decision" } },
            channels = new object[] { new { kind = "webhook", url = _hooks.Url(dataset) } },
        });

        await _alerts.PublishAsync(AlertsClient.Scored(dataset), AlertsClient.Scored(dataset), AlertsClient.Scored(dataset));

        var burst = await _alerts.WaitForAlertsAsync(dataset, a => a.Count == 3 && a.All(x => x.GetProperty("status").GetString() is "sent" or "suppressed"));
        var sent = Assert.Single(burst, a => a.GetProperty("status").GetString() == "sent");
        var suppressed = burst.Where(a => a.GetProperty("status").GetString() == "suppressed").ToList();
        Assert.Equal(2, suppressed.Count);
        Assert.All(suppressed, a => Assert.Empty(a.GetProperty("deliveries").EnumerateArray()));
        Assert.Equal([1, 2], suppressed.Select(a => a.GetProperty("suppressedConditions")[0].GetProperty("suppressedSinceLast").GetInt32()).Order());
        Assert.Equal(0, Assert.Single(await _hooks.WaitForAsync(dataset, 1)).Json.GetProperty("suppressedSinceLast").GetInt32());

        // After the window, the condition alerts again and reports the two it held back.
        var windowEnds = sent.GetProperty("createdAt").GetDateTimeOffset() + window + TimeSpan.FromMilliseconds(500);
        if (windowEnds > DateTimeOffset.UtcNow) await Task.Delay(windowEnds - DateTimeOffset.UtcNow);
        var next = AlertsClient.Scored(dataset);
        await _alerts.PublishAsync(next);

        var second = (await _hooks.WaitForAsync(dataset, 2))[1].Json;
        Assert.Equal(next.RunId, second.GetProperty("runId").GetGuid());
        Assert.Equal(2, second.GetProperty("suppressedSinceLast").GetInt32());
        Assert.Equal(2, second.GetProperty("conditions")[0].GetProperty("suppressedSinceLast").GetInt32());
        var all = await _alerts.ListAsync(dataset);
        Assert.Equal(2, all.Count(a => a.GetProperty("status").GetString() == "sent"));
        Assert.Equal(2, (await _alerts.ListAsync(dataset, status: "suppressed")).Count);
    }

    [Fact]
    public async Task A_redelivered_event_never_sends_twice_on_any_channel()
    {
        var dataset = AlertsClient.NewDataset();
        await _alerts.CreatePolicyAsync(new
        {
            dataset,
            name = "blocks",
            throttleWindow = "00:00:00",
            conditions = new object[] { new { kind = "block_decision" } },
            channels = new object[] { new { kind = "webhook", url = _hooks.Url(dataset) }, new { kind = "email", to = new[] { "blocks@example.com" } } },
        });
        var scored = AlertsClient.Scored(dataset);

        await _alerts.PublishAsync(scored);
        await _hooks.WaitForAsync(dataset, 1);
        await AlertingEnvironment.Smtp.WaitForAsync(m => m.Body.Contains(scored.RunId.ToString()));
        // The same event again, twice at once, then another run's event as a marker that the bus has moved on.
        var marker = AlertsClient.Scored(dataset);
        await Task.WhenAll(_alerts.PublishAsync(scored), _alerts.PublishAsync(scored));
        await _alerts.PublishAsync(marker);
        await _hooks.WaitForAsync(dataset, 2);
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Single(_hooks.For(dataset), r => r.Json.GetProperty("runId").GetGuid() == scored.RunId);
        Assert.Single(_hooks.For(dataset), r => r.Json.GetProperty("runId").GetGuid() == marker.RunId);
        Assert.Single(AlertingEnvironment.Smtp.Received, m => m.Body.Contains(scored.RunId.ToString()));
        var alerts = await _alerts.ListAsync(dataset);
        var once = Assert.Single(alerts, a => a.GetProperty("runId").GetGuid() == scored.RunId);
        Assert.All(once.GetProperty("deliveries").EnumerateArray(), d => Assert.Equal(1, d.GetProperty("attempts").GetInt32()));
    }

    [Fact]
    public async Task Webhook_and_smtp_outages_are_retried_with_backoff_until_the_receivers_recover()
    {
        var dataset = AlertsClient.NewDataset();
        await _alerts.CreatePolicyAsync(new
        {
            dataset,
            name = "blocks",
            conditions = new object[] { new { kind = "block_decision" } },
            channels = new object[] { new { kind = "webhook", url = _hooks.Url(dataset) }, new { kind = "email", to = new[] { "outage@example.com" } } },
        });
        _hooks.FailNext(dataset, 2);
        AlertingEnvironment.Smtp.FailNext(1);
        var scored = AlertsClient.Scored(dataset);

        await _alerts.PublishAsync(scored);

        var requests = await _hooks.WaitForAsync(dataset, 3);
        Assert.Equal([500, 500, 200], requests.Select(r => r.AnsweredStatus));
        Assert.Single(requests.Select(r => r.Headers["Idempotency-Key"]).Distinct());
        Assert.Single(requests.Select(r => r.Body).Distinct());
        var first = AlertingEnvironment.FirstRetryDelay;
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= first * 0.8, "first retry came too early");
        Assert.True(requests[2].ReceivedAt - requests[1].ReceivedAt >= first * 2 * 0.8, "second retry did not back off");

        var alert = Assert.Single(await _alerts.WaitForAlertsAsync(dataset, a => a.Count == 1 && a[0].GetProperty("status").GetString() == "sent"));
        var deliveries = alert.GetProperty("deliveries").EnumerateArray().ToDictionary(d => d.GetProperty("channel").GetString()!);
        Assert.Equal(3, deliveries["webhook"].GetProperty("attempts").GetInt32());
        Assert.Equal(2, deliveries["email"].GetProperty("attempts").GetInt32());
        Assert.All(deliveries.Values, d => Assert.Equal(JsonValueKind.Null, d.GetProperty("lastError").ValueKind));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(3, _hooks.For(dataset).Count);
        Assert.Single(AlertingEnvironment.Smtp.Received, m => m.Body.Contains(scored.RunId.ToString()));
    }

    [Fact]
    public async Task A_receiver_that_keeps_failing_is_dead_lettered_after_the_last_attempt_and_one_that_refuses_after_the_first()
    {
        var dataset = AlertsClient.NewDataset();
        await _alerts.CreatePolicyAsync(new
        {
            dataset,
            name = "failures",
            conditions = new object[] { new { kind = "run_failed" } },
            channels = new object[]
            {
                new { name = "down", kind = "webhook", url = _hooks.Url($"{dataset}-down") },
                new { name = "refusing", kind = "slack", url = _hooks.Url($"{dataset}-refusing") },
                new { name = "mail", kind = "email", to = new[] { "failures@example.com" } },
            },
        });
        _hooks.FailNext($"{dataset}-down", 100, 503);
        _hooks.FailNext($"{dataset}-refusing", 100, 400);
        var runId = Guid.CreateVersion7();

        await _alerts.PublishAsync(new RunFailed
        {
            RunId = runId,
            Dataset = dataset,
            Stage = Stages.Score,
            Reason = "The score stage failed after retries: model file missing",
            Timing = new StageTiming(Stages.Score, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow),
        });

        var alert = Assert.Single(await _alerts.WaitForAlertsAsync(dataset, a => a.Count == 1 && a[0].GetProperty("status").GetString() == "failed"));
        var deliveries = alert.GetProperty("deliveries").EnumerateArray().ToDictionary(d => d.GetProperty("channel").GetString()!);
        Assert.Equal(("failed", AlertingEnvironment.MaxAttempts), Outcome(deliveries["down"]));
        Assert.Equal(("failed", 1), Outcome(deliveries["refusing"]));
        Assert.Equal(("sent", 1), Outcome(deliveries["mail"]));
        Assert.EndsWith("answered 503 Service Unavailable", deliveries["down"].GetProperty("lastError").GetString());
        Assert.Equal(AlertingEnvironment.MaxAttempts, _hooks.For($"{dataset}-down").Count);
        Assert.Single(_hooks.For($"{dataset}-refusing"));

        using var response = await fixture.Gateway.GetAsync($"/api/alerts/dead-letters?dataset={dataset}");
        var letters = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray()
            .ToDictionary(l => l.GetProperty("channel").GetString()!);
        Assert.Equal(["down", "refusing"], letters.Keys.Order());
        var down = letters["down"];
        Assert.Equal(runId, down.GetProperty("runId").GetGuid());
        Assert.Equal(AlertingEnvironment.MaxAttempts, down.GetProperty("attempts").GetInt32());
        Assert.Equal($"{_hooks.BaseAddress.GetLeftPart(UriPartial.Authority)}/…", down.GetProperty("target").GetString());
        Assert.Equal(_hooks.For($"{dataset}-down")[^1].Body, down.GetProperty("payload").GetString());
        Assert.Equal("slack", letters["refusing"].GetProperty("kind").GetString());
        Assert.EndsWith("answered 400 Bad Request", letters["refusing"].GetProperty("error").GetString());
    }

    private static (string?, int) Outcome(JsonElement delivery) => (delivery.GetProperty("status").GetString(), delivery.GetProperty("attempts").GetInt32());
}
