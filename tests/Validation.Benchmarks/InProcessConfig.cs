using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Vigil.Validation.Benchmarks;

/// <summary>
/// Runs benchmarks inside this process, a few long iterations each (batch-sized work, not microbenchmarks). Use it
/// with <c>[Config(typeof(InProcessConfig))]</c>.
/// </summary>
/// <remarks>
/// BenchmarkDotNet's default toolchain builds a generated project per run; that project lacks this one's framework
/// reference to Microsoft.AspNetCore.App, and restoring it fails here with NU1605 downgrades of
/// Microsoft.Extensions.* (the package source holds uneven versions; see DESIGN.md). In-process needs no build.
/// </remarks>
public sealed class InProcessConfig : ManualConfig
{
    public InProcessConfig() => AddJob(Job.Default
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithStrategy(RunStrategy.Monitoring)
        .WithLaunchCount(1)
        .WithWarmupCount(2)
        .WithIterationCount(8));
}
