using Vigil.AppHost.Hosting.Processes;

namespace Vigil.AppHost.Hosting.Resources;

/// <summary>
/// ONNX Runtime's native library for the scoring service. Nothing runs: starting it means making sure the library is
/// on disk (a path from <c>VIGIL_ONNXRUNTIME_LIBRARY</c>, or the CPU build fetched by scripts/fetch-onnxruntime into
/// the repository's git-ignored .vigil/cache) and handing its path to referencing projects. When it cannot be had
/// (no npm, no network) the app still starts: the scoring service falls back to its managed scorer and says why.
/// </summary>
public sealed class OnnxRuntimeResource(string name) : Resource(name), IResourceWithEnvironment
{
    public const string Version = "1.30.0";
    public const string LibraryVariable = "VIGIL_ONNXRUNTIME_LIBRARY";

    private readonly Dictionary<string, string> _environment = [];

    public override string Kind => "native library";

    /// <summary>The library's path once found; shown in the resource table.</summary>
    public override string? Url => _environment.GetValueOrDefault(ScoringLibraryPathKey);

    public IReadOnlyDictionary<string, string> ReferenceEnvironment => _environment;

    private const string ScoringLibraryPathKey = "Scoring__OnnxRuntime__LibraryPath";

    internal override async Task StartAsync(ResourceContext context, CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable(LibraryVariable) is { Length: > 0 } configured)
        {
            if (!File.Exists(configured)) throw new ResourceStartException(Name, $"{LibraryVariable} points at {configured}, which does not exist.");
            _environment[ScoringLibraryPathKey] = configured;
            return;
        }

        var cache = Path.Combine(context.RepositoryRoot, ".vigil", "cache", "onnxruntime", Version);
        var library = Path.Combine(cache, "libonnxruntime.so.1");
        if (!File.Exists(library))
        {
            var fetch = new ProcessSpec(Path.Combine(context.RepositoryRoot, "scripts", "fetch-onnxruntime"), [])
            {
                Environment = { ["VIGIL_ONNXRUNTIME_CACHE"] = cache },
            };
            try
            {
                await ChildProcess.RunToCompletionAsync(fetch, Name, context, cancellationToken);
            }
            catch (ResourceStartException e)
            {
                context.Logs.Write(Name, $"ONNX Runtime could not be fetched ({e.Message}); scoring will use its managed scorer.", isError: true);
                return;
            }
        }
        _environment[ScoringLibraryPathKey] = library;
    }

    internal override Task WaitHealthyAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal override Task StopAsync(TimeSpan grace) => Task.CompletedTask;
}
