using System.Net.Http.Json;
using System.Text.Json;
using Vigil.AppHost.Resources;

namespace Vigil.Events.LoadTest;

/// <summary>An API key for a load run against the application this process started: made with the gateway's admin key.</summary>
internal static class LoadTestKey
{
    public static async Task<string> CreateAsync(Uri gateway, VigilLayout layout)
    {
        var adminKey = (await File.ReadAllTextAsync(Path.Combine(layout.DataDirectory, "gateway", "admin-key"))).Trim();
        using var admin = new HttpClient { BaseAddress = gateway };
        admin.DefaultRequestHeaders.Add("X-Api-Key", adminKey);
        // The gateway's per-key rate limit must not be what the run measures.
        using var response = await admin.PostAsJsonAsync("/api/admin/keys",
            new { name = "events load test", scopes = new[] { "ingest", "read", "admin" }, rateLimit = new { capacity = 1_000_000, refillPerSecond = 100_000 } });
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"Creating the load test's API key failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }
}
