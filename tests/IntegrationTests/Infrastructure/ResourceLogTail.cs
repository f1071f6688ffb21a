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
    private readonly CancellationTokenSource _stop = new();

    /// <summary>
    /// Watches the named resources of <paramref name="services"/>' application model. By resource, not by name: a
    /// process resource's log stream is keyed by its instance name (the name plus a suffix), so watching the plain name
    /// would see nothing.
    /// </summary>
    public void Watch(IServiceProvider services, IEnumerable<string> resources, string? archiveDirectory = null)
    {
        var logs = services.GetRequiredService<ResourceLoggerService>();
        var model = services.GetRequiredService<DistributedApplicationModel>();
        if (archiveDirectory is not null) Directory.CreateDirectory(archiveDirectory);
        foreach (var resource in resources)
        {
            var queue = _lines.GetOrAdd(resource, _ => new ConcurrentQueue<string>());
            _ = Task.Run(async () =>
            {
                using var archive = archiveDirectory is null ? null : new StreamWriter(Path.Combine(archiveDirectory, resource + ".log"), append: true) { AutoFlush = true };
                try
                {
                    await foreach (var batch in logs.WatchAsync(model.Resources.Single(r => r.Name == resource)).WithCancellation(_stop.Token))
                    {
                        foreach (var line in batch)
                        {
                            queue.Enqueue(line.Content);
                            while (queue.Count > Kept) queue.TryDequeue(out _);
                            archive?.WriteLine(line.Content);
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                    // The fixture is being disposed.
                }
            });
        }
    }

    public IReadOnlyList<string> Recent(string resource) => _lines.TryGetValue(resource, out var queue) ? [.. queue] : [];

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
