namespace Vigil.Chaos;

/// <summary>
/// The chaos test runs with the rest (<c>dotnet test Aspire.sln</c>, 200 batches; <c>VIGIL_CHAOS_BATCHES=N</c> for
/// more). A developer who wants the suite without its five CPU-heavy minutes sets <c>VIGIL_CHAOS=0</c>; CI never does.
/// </summary>
public sealed class ChaosFactAttribute : FactAttribute
{
    public ChaosFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("VIGIL_CHAOS") == "0")
            Skip = "Skipped on request (VIGIL_CHAOS=0).";
    }
}
