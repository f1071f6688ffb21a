using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vigil.ObjectStore.Tests.Emulator;

/// <summary>
/// One run of the built store (<c>dotnet tools/ObjectStore/bin/…/Vigil.ObjectStore.dll</c>) on a free loopback port with the
/// given data folder, as the AppHost starts it; ready once <c>GET /</c> answers 200 (it listens only after the buckets exist).
/// </summary>
public sealed class ObjectStoreProcess : IAsyncDisposable
{
    public const string AccessKey = "vigil";

    /// <summary>The store's name in the benchmark's table.</summary>
    public const string Name = "vigil";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ObjectStoreProcess(Process process, int port, string dataDirectory)
    {
        _process = process;
        Port = port;
        DataDirectory = dataDirectory;
    }

    public int Port { get; }

    public int ProcessId => _process.Id;

    public string DataDirectory { get; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

    /// <summary>What the AppHost hands the services as <c>ConnectionStrings__objectstore</c>.</summary>
    public string ConnectionString => $"Endpoint={Endpoint};AccessKey={AccessKey};SecretKey=test-secret;Region=us-east-1";

    public TimeSpan TimeToReady { get; private set; }

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <param name="parentPid">The process whose end stops the store (--parent-pid); this test process unless given.</param>
    /// <param name="options">More command-line options (such as <c>--no-direct-io</c>).</param>
    public static async Task<ObjectStoreProcess> StartAsync(string dataDirectory, int? parentPid = null, IReadOnlyList<string>? options = null,
        CancellationToken cancellationToken = default)
    {
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo("dotnet", [
            StoreBuild.Assembly,
            "--port", port.ToString(),
            "--address", "127.0.0.1",
            "--data-dir", dataDirectory,
            "--access-key", AccessKey,
            "--parent-pid", (parentPid ?? Environment.ProcessId).ToString(),
            .. options ?? [],
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var watch = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet could not be started.");
        var store = new ObjectStoreProcess(process, port, dataDirectory);
        process.OutputDataReceived += (_, e) => store.Append(e.Data);
        process.ErrorDataReceived += (_, e) => store.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await store.WaitReadyAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
        store.TimeToReady = watch.Elapsed;
        return store;
    }

    /// <summary>Ends the process without warning (SIGKILL), as a crashed or force-stopped AppHost would leave it.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Asks the process to stop (SIGTERM), as the AppHost does on a normal shutdown; returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]))
        {
            await kill!.WaitForExitAsync();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>Whether the process ends by itself within <paramref name="timeout"/>.</summary>
    public async Task<bool> ExitsWithinAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The object store exited with {_process.ExitCode}:\n{Output}");
            try
            {
                using var response = await Http.GetAsync(Endpoint, cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The probe timed out; try again.
            }
            await Task.Delay(50, cancellationToken);
        }
        throw new TimeoutException($"The object store did not answer within {timeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
