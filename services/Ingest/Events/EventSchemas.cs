using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Vigil.Ingest.Intake;

namespace Vigil.Ingest.Events;

/// <summary>
/// The <see cref="EventSchema"/> of each dataset, read from its definition through <see cref="DatasetCatalog"/> and
/// remembered for a short while, so a stream of small requests does not ask Validation every time.
/// </summary>
public sealed class EventSchemas(DatasetCatalog catalog, IOptions<EventsOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, (EventSchema Schema, DateTimeOffset Until)> _known = new();

    /// <summary>The dataset's schema, or null when it is not registered.</summary>
    /// <exception cref="HttpRequestException">Validation could not be asked.</exception>
    public async Task<EventSchema?> FindAsync(string dataset, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_known.TryGetValue(dataset, out var known) && known.Until > now) return known.Schema;
        if (await catalog.FindDefinitionAsync(dataset, cancellationToken) is not { } definition) return null;
        var schema = EventSchema.FromDefinition(definition);
        _known[dataset] = (schema, now.AddSeconds(options.Value.DefinitionCacheSeconds));
        return schema;
    }
}
