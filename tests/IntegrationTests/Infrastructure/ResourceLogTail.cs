using System.Collections.Concurrent;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace Vigil.IntegrationTests.Infrastructure;

/// <summary>
/// Keeps the last lines each watched resource wrote to its console, from Aspire's resource logger, and, when given a
/// folder, every line in <c>{folder}/{resource}.log</c> for a post-mortem.
/// </summary>
internal sealed class ResourceLogTail : IDisposable
{
    private const int Kept = 300;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _lines = new();
    private readonly ConcurrentDictionary<string, StreamWriter> _archives = new();
    private readonly ConcurrentDictionary<string, byte> _watchedInstances = new();
    private readonly CancellationTokenSource _stop = new();

    /// <summary>
    /// Watches the named resources of <paramref name="services"/>' application model; may be called before the
    /// application starts. A process resource's log stream is keyed by its instance name (the name plus a suffix, known
    /// only once the orchestrator creates it), so the instances are taken from the resource notifications as they appear,
    /// and each one's log is followed from its first line.
    /// </summary>
    public void Watch(IServiceProvider services, IEnumerable<string> resources, string? archiveDirectory = null)
    {
        var logs = services.GetRequiredService<ResourceLoggerService>();
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var names = resources.ToHashSet(StringComparer.Ordinal);
        if (archiveDirectory is not null) Directory.CreateDirectory(archiveDirectory);
        foreach (var name in names)
        {
            _lines.GetOrAdd(name, _ => new ConcurrentQueue<string>());
            if (archiveDirectory is not null)
                _archives[name] = new StreamWriter(Path.Combine(archiveDirectory, name + ".log"), append: true) { AutoFlush = true };
        }
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var change in notifications.WatchAsync(_stop.Token))
                {
                    if (!names.Contains(change.Resource.Name) || !_watchedInstances.TryAdd(change.ResourceId, 0)) continue;
                    _ = FollowAsync(logs, change.Resource.Name, change.ResourceId);
                }
            }
            catch (OperationCanceledException)
            {
                // The fixture is being disposed.
            }
        });
    }

    private async Task FollowAsync(ResourceLoggerService logs, string resource, string instance)
    {
        var queue = _lines[resource];
        _archives.TryGetValue(resource, out var archive);
        try
        {
            await foreach (var batch in logs.WatchAsync(instance).WithCancellation(_stop.Token))
            {
                foreach (var line in batch)
                {
                    queue.Enqueue(line.Content);
                    while (queue.Count > Kept) queue.TryDequeue(out _);
                    if (archive is null) continue;
                    lock (archive) archive.WriteLine(line.Content);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The fixture is being disposed.
        }
        catch (ObjectDisposedException)
        {
            // The archive was closed while the last lines came in.
        }
    }

    public IReadOnlyList<string> Recent(string resource) => _lines.TryGetValue(resource, out var queue) ? [.. queue] : [];

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        foreach (var archive in _archives.Values)
        {
            lock (archive) archive.Dispose();
        }
    }
}
