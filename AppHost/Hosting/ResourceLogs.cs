using System.Collections.Concurrent;

namespace Vigil.AppHost.Hosting;

/// <summary>
/// Writes each resource's lines to <c>{logDirectory}/{resource}.log</c>, optionally echoes them to the console
/// prefixed by the resource's name, and keeps the last lines of each so a failed start can say what went wrong.
/// </summary>
public sealed class ResourceLogs(string logDirectory, bool echoToConsole = false) : IResourceLogSink, IDisposable
{
    private const int RecentLinesKept = 40;
    private static readonly ConsoleColor[] Palette =
        [ConsoleColor.Cyan, ConsoleColor.Green, ConsoleColor.Magenta, ConsoleColor.Yellow, ConsoleColor.Blue, ConsoleColor.DarkCyan, ConsoleColor.DarkGreen, ConsoleColor.DarkYellow];

    private readonly ConcurrentDictionary<string, StreamWriter> _files = new();
    private readonly ConcurrentDictionary<string, Queue<string>> _recent = new();
    private readonly ConcurrentDictionary<string, ConsoleColor> _colors = new();
    private readonly Lock _consoleLock = new();

    /// <summary>Echo lines to the console, prefixed by the resource's name (off while starting, so the table comes first).</summary>
    public bool EchoToConsole { get; set; } = echoToConsole;

    public void Write(string resource, string line, bool isError)
    {
        var file = _files.GetOrAdd(resource, name =>
        {
            Directory.CreateDirectory(logDirectory);
            return new StreamWriter(Path.Combine(logDirectory, name + ".log"), append: true) { AutoFlush = true };
        });
        lock (file)
        {
            file.WriteLine(line);
        }

        var recent = _recent.GetOrAdd(resource, _ => new Queue<string>());
        lock (recent)
        {
            recent.Enqueue(line);
            if (recent.Count > RecentLinesKept) recent.Dequeue();
        }

        if (EchoToConsole) Echo(resource, line, isError);
    }

    /// <summary>The last lines a resource wrote, oldest first.</summary>
    public IReadOnlyList<string> Recent(string resource)
    {
        if (!_recent.TryGetValue(resource, out var recent)) return [];
        lock (recent) return [.. recent];
    }

    public string LogFile(string resource) => Path.Combine(logDirectory, resource + ".log");

    private void Echo(string resource, string line, bool isError)
    {
        var color = _colors.GetOrAdd(resource, _ => Palette[_colors.Count % Palette.Length]);
        lock (_consoleLock)
        {
            Console.ForegroundColor = color;
            Console.Write($"{resource,-12}| ");
            Console.ResetColor();
            if (isError) Console.ForegroundColor = ConsoleColor.Red;
            Console.WriteLine(line);
            Console.ResetColor();
        }
    }

    public void Dispose()
    {
        foreach (var file in _files.Values)
        {
            lock (file) file.Dispose();
        }
        _files.Clear();
    }
}
