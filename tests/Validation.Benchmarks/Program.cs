using BenchmarkDotNet.Running;

namespace Vigil.Validation.Benchmarks;

/// <summary>
/// <c>--quick</c>: one timed read with memory figures, for fast checks (see <see cref="QuickRun"/>). Anything else
/// goes to BenchmarkDotNet:
/// <code>
/// dotnet run -c Release --project tests/Validation.Benchmarks -- --quick [--rows N] [--format csv|json|ndjson]
/// dotnet run -c Release --project tests/Validation.Benchmarks -- --filter "*TableReader*"
/// </code>
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains("--quick")) return QuickRun.Run(args);
        if (args.Contains("--e2e")) return EndToEndRun.Run(args);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
