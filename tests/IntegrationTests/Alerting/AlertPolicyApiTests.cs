using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Alerting;

[Collection(VigilAppCollection.Name)]
public sealed class AlertPolicyApiTests(VigilAppFixture fixture)
{
    [Fact]
    public async Task Policies_are_created_replaced_by_dataset_and_name_listed_and_deleted_through_the_gateway()
    {
        var dataset = AlertsClient.NewDataset();
        var policy = new
        {
            dataset,
            name = "oncall",
            conditions = new object[] { new { kind = "dq_score_below", threshold = 80.0 } },
            channels = new object[] { new { kind = "webhook", url = "https://hooks.example.com/vigil" } },
        };

        using var created = await fixture.Gateway.PostAsJsonAsync("/api/alerts/policies", policy);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var first = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = first.GetProperty("id").GetGuid();
        Assert.Equal($"/api/alerts/policies/{id}", created.Headers.Location?.ToString());
        Assert.Equal("00:15:00", first.GetProperty("throttleWindow").GetString()); // the service default
        Assert.Equal("webhook", first.GetProperty("channels")[0].GetProperty("name").GetString());

        using var replaced = await fixture.Gateway.PostAsJsonAsync("/api/alerts/policies",
            new { policy.dataset, policy.name, policy.conditions, policy.channels, throttleWindow = "00:01:00", enabled = false });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var second = await replaced.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(id, second.GetProperty("id").GetGuid());
        Assert.Equal("00:01:00", second.GetProperty("throttleWindow").GetString());
        Assert.False(second.GetProperty("enabled").GetBoolean());

        var listed = await fixture.Gateway.GetFromJsonAsync<JsonElement>($"/api/alerts/policies?dataset={dataset}");
        Assert.Equal(id, Assert.Single(listed.EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.OK, (await fixture.Gateway.GetAsync($"/api/alerts/policies/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Gateway.DeleteAsync($"/api/alerts/policies/{id}")).StatusCode);
        using var gone = await fixture.Gateway.GetAsync($"/api/alerts/policies/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("application/problem+json", gone.Content.Headers.ContentType?.MediaType);
        Assert.Empty((await fixture.Gateway.GetFromJsonAsync<JsonElement>($"/api/alerts/policies?dataset={dataset}")).EnumerateArray());
    }

    [Fact]
    public async Task An_invalid_policy_gets_a_validation_problem_naming_each_field()
    {
        using var response = await fixture.Gateway.PostAsJsonAsync("/api/alerts/policies", new
        {
            dataset = "Not A Dataset",
            name = "x",
            conditions = new object[] { new { kind = "dq_score_below" }, new { kind = "run_not_completed_within" }, new { kind = "cpu_hot" } },
            channels = new object[] { new { kind = "webhook", url = "hooks.example.com" }, new { kind = "email" } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(
            ["channels[0].url", "channels[1].to", "conditions[0].threshold", "conditions[1].within", "conditions[2].kind", "dataset"],
            errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("since=yesterday", "Invalid since")]
    [InlineData("status=lost", "Invalid status")]
    [InlineData("dataset=No%20Such", "Invalid dataset name")]
    [InlineData("limit=0", "Invalid limit")]
    public async Task Listing_alerts_with_a_bad_filter_gets_a_problem_saying_which(string query, string title)
    {
        using var response = await fixture.Gateway.GetAsync($"/api/alerts?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(title, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }
}
