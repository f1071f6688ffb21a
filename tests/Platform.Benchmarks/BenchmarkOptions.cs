using System.Globalization;

namespace Vigil.Platform.Benchmarks;

/// <summary>
/// <c>[--rows 600000] [--batches 5] [--no-reconcile] [--no-model] [--save] [--compare LABEL|FILE]</c>: batch size, measured
/// repetitions (medians are of these), whether to run the reconciliation part, whether to leave the dataset without a
/// model (its batches are then scored by the fallback fitted on each batch), whether to keep the figures under
/// .vigil/bench/&lt;commit&gt;.json, and a saved result to print beside this one. <c>--soak [--rows N]</c> runs the
/// memory soak instead (<see cref="SoakRun"/>; rows default to 20,000 there).
/// </summary>
public sealed record BenchmarkOptions(int Rows, int Batches, bool Reconcile, bool Save, string? Compare, bool Soak = false)
{
    /// <summary>No model is trained (<c>--no-model</c>): every batch is scored by the fallback for a dataset without one.</summary>
    public bool NoModel { get; init; }

    /// <summary>
    /// Extra environment of the services, to try runtime settings or to profile (<c>--env [SERVICE:]NAME=VALUE</c>, repeatable;
    /// <c>--scoring-env NAME=VALUE</c> is <c>--env scoring:NAME=VALUE</c>).
    /// </summary>
    public IReadOnlyList<ExtraEnvironment> Environment { get; init; } = [];

    public static BenchmarkOptions Parse(string[] args)
    {
        var options = new BenchmarkOptions(600_000, 5, true, false, null);
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--rows" when i + 1 < args.Length => options with { Rows = Positive(args[++i], "--rows") },
                "--batches" when i + 1 < args.Length => options with { Batches = Positive(args[++i], "--batches") },
                "--no-reconcile" => options with { Reconcile = false },
                "--no-model" => options with { NoModel = true },
                "--save" => options with { Save = true },
                "--soak" => options with { Soak = true },
                "--env" when i + 1 < args.Length => options with { Environment = [.. options.Environment, ExtraEnvironment.Parse(args[++i])] },
                "--scoring-env" when i + 1 < args.Length => options with { Environment = [.. options.Environment, ExtraEnvironment.Parse(args[++i], "scoring")] },
                "--compare" when i + 1 < args.Length => options with { Compare = args[++i] },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'. Usage: [--rows N] [--batches N] [--no-reconcile] [--no-model] [--save] [--compare LABEL|FILE] | --soak [--rows N] [--batches N]; [--env [SERVICE:]NAME=VALUE] [--scoring-env NAME=VALUE]"),
            };
        }
        return options;
    }

    private static int Positive(string text, string name) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{name} takes a positive whole number, not '{text}'.");
}
