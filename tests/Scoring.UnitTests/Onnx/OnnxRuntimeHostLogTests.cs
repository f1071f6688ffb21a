using Microsoft.Extensions.Logging;
using Vigil.Scoring.Onnx.Runtime;

namespace Vigil.Scoring.UnitTests.Onnx;

public sealed class OnnxRuntimeHostLogTests
{
    [Fact]
    public void The_device_outcome_is_logged_once_at_information_level_never_as_an_error()
    {
        var log = new CollectingLogger();

        var host = new OnnxRuntimeHost(DeviceRequest.Auto, tryLoadLibrary: _ => false, log: log);

        var entry = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Information, entry.Level);
        // The line names where scoring runs and, on a machine without CUDA, why not there.
        Assert.Contains(host.Device!.Description, entry.Message, StringComparison.Ordinal);
        if (host.Device.FallbackReason is { } reason) Assert.Contains(reason, entry.Message, StringComparison.Ordinal);
    }

    private sealed class CollectingLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
