namespace Vigil.AppHost.UnitTests.Support;

/// <summary>Tests that change process environment variables run alone, after the parallel ones.</summary>
[CollectionDefinition(Collection, DisableParallelization = true)]
public sealed class ProcessEnvironment
{
    public const string Collection = "Process environment";
}
