using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Vigil.Gateway.Proxy;

/// <summary>A destination chosen for one request.</summary>
public sealed record SelectedDestination(string ClusterId, string DestinationId, string Address);

/// <summary>
/// Picks a cluster's destination round-robin, skipping destinations that recently failed with a connection
/// error (passive health) for the cluster's reactivation period, unless every destination is failing.
/// </summary>
public sealed class DestinationSelector(IOptions<GatewayOptions> options, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, ClusterState> clusters = new(StringComparer.OrdinalIgnoreCase);

    public SelectedDestination Select(string clusterId) => GetState(clusterId).Select(timeProvider.GetUtcNow());

    /// <summary>Marks a destination unreachable; it is skipped until the reactivation period has passed.</summary>
    public void ReportConnectionFailure(SelectedDestination destination) =>
        GetState(destination.ClusterId).MarkFailed(destination.DestinationId, timeProvider.GetUtcNow());

    /// <summary>Marks a destination healthy again (it answered).</summary>
    public void ReportSuccess(SelectedDestination destination) =>
        GetState(destination.ClusterId).MarkHealthy(destination.DestinationId);

    /// <summary>How long a failed destination of this cluster is skipped, or null when passive health is off.</summary>
    public TimeSpan? ReactivationPeriod(string clusterId) => GetState(clusterId).ReactivationPeriod;

    private ClusterState GetState(string clusterId) =>
        clusters.GetOrAdd(clusterId, static (id, config) => config.Clusters.TryGetValue(id, out var cluster)
            ? new ClusterState(id, cluster)
            : throw new InvalidOperationException($"Cluster '{id}' is not configured."), options.Value);

    private sealed class ClusterState
    {
        private readonly string clusterId;
        private readonly SelectedDestination[] destinations;
        private readonly long[] unhealthyUntilTicks;
        private int next = -1;

        public ClusterState(string clusterId, ClusterConfig config)
        {
            this.clusterId = clusterId;
            destinations = [.. config.Destinations.Select(d => new SelectedDestination(clusterId, d.Key, d.Value.Address))];
            unhealthyUntilTicks = new long[destinations.Length];
            ReactivationPeriod = config.HealthCheck.Passive.Enabled
                ? config.HealthCheck.Passive.ReactivationPeriod ?? GatewayOptions.DefaultReactivationPeriod
                : null;
        }

        public TimeSpan? ReactivationPeriod { get; }

        public SelectedDestination Select(DateTimeOffset now)
        {
            if (destinations.Length == 0)
            {
                throw new InvalidOperationException($"Cluster '{clusterId}' has no destinations.");
            }

            var turn = (uint)Interlocked.Increment(ref next);
            var healthy = new List<SelectedDestination>(destinations.Length);
            for (var i = 0; i < destinations.Length; i++)
            {
                if (Volatile.Read(ref unhealthyUntilTicks[i]) <= now.UtcTicks)
                {
                    healthy.Add(destinations[i]);
                }
            }

            // All failing: keep trying all of them rather than refusing every request.
            return healthy.Count == 0
                ? destinations[turn % (uint)destinations.Length]
                : healthy[(int)(turn % (uint)healthy.Count)];
        }

        public void MarkFailed(string destinationId, DateTimeOffset now)
        {
            if (ReactivationPeriod is { } period && IndexOf(destinationId) is var index and >= 0)
            {
                Volatile.Write(ref unhealthyUntilTicks[index], (now + period).UtcTicks);
            }
        }

        public void MarkHealthy(string destinationId)
        {
            if (IndexOf(destinationId) is var index and >= 0 && Volatile.Read(ref unhealthyUntilTicks[index]) != 0)
            {
                Volatile.Write(ref unhealthyUntilTicks[index], 0);
            }
        }

        private int IndexOf(string destinationId) =>
            Array.FindIndex(destinations, d => string.Equals(d.DestinationId, destinationId, StringComparison.OrdinalIgnoreCase));
    }
}
