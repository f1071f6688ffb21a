using System.Collections.Concurrent;
using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Models;

namespace Vigil.Scoring.Events;

/// <summary>
/// The active model of each dataset as the event stream sees it: looked up in the registry at most every few seconds
/// per dataset instead of once per micro-batch, so a promotion or rollback reaches streamed events within
/// <see cref="RecheckAfter"/>.
/// </summary>
public sealed class ActiveModels(ModelRegistry registry, TimeProvider clock)
{
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, ((EnsembleModel Model, int Version)? Active, DateTimeOffset Until)> _seen = new();

    public async Task<(EnsembleModel Model, int Version)?> ActiveAsync(string dataset, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_seen.TryGetValue(dataset, out var seen) && seen.Until > now) return seen.Active;
        var active = await registry.ActiveAsync(dataset, cancellationToken);
        _seen[dataset] = (active, now + RecheckAfter);
        return active;
    }
}
