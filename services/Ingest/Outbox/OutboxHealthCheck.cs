using Microsoft.Extensions.Diagnostics.HealthChecks;
using Vigil.Ingest.Storage;

namespace Vigil.Ingest.Outbox;

/// <summary>Degraded while accepted runs wait in the outbox for longer than a few seconds (the broker is away).</summary>
internal sealed class OutboxHealthCheck(OutboxStore outbox) : IHealthCheck
{
    private static readonly TimeSpan Late = TimeSpan.FromSeconds(10);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (waiting, oldest) = await outbox.BacklogAsync(cancellationToken);
        return oldest is { } age && age > Late
            ? HealthCheckResult.Degraded($"{waiting} accepted runs wait to be published; the oldest for {age.TotalSeconds:0} s")
            : HealthCheckResult.Healthy($"{waiting} waiting");
    }
}
