using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Hooks;

/// <summary>The API key a pipeline would hold: it submits batches and reads runs and reports (ingest + read), nothing more.</summary>
public static class HookKeys
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _key;

    public static async Task<string> PipelineKeyAsync(VigilAppFixture fixture)
    {
        await Gate.WaitAsync();
        try
        {
            return _key ??= (await fixture.CreateApiKeyAsync("pipeline hooks", ["ingest", "read"], new { capacity = 100_000, refillPerSecond = 10_000 })).Key;
        }
        finally
        {
            Gate.Release();
        }
    }
}
