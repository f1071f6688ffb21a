using System.Globalization;

namespace Vigil.Chaos;

/// <summary>
/// The size of one chaos run. CI runs the defaults; by hand: <c>VIGIL_CHAOS_BATCHES=1000 dotnet test tests/Chaos</c>, or
/// <c>scripts/chaos-repeat</c> for several runs in a row with their logs kept.
/// </summary>
public sealed record ChaosOptions
{
    /// <summary>Batches driven through the gateway.</summary>
    public int Batches { get; init; } = 200;

    /// <summary>Datasets the batches are spread over (several batches of one dataset race for its schema version).</summary>
    public int Datasets { get; init; } = 4;

    /// <summary>Clients submitting at the same time.</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>Rows per batch.</summary>
    public int RowsPerBatch { get; init; } = 40;

    /// <summary>How long a fault lasts (a server down, a service killed, Redis stalled).</summary>
    public TimeSpan FaultDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the client keeps retrying one batch before it counts it as refused.</summary>
    public TimeSpan SubmitBudget { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// How long after the last fault every accepted run must have ended: long enough for Ingest's redriver (a run
    /// silent for 7 minutes is announced again, scans every 30 s) to bring back a run whose message was lost. A clean
    /// run ends within a minute or two of the last fault, so the wait is only this long when something went silent.
    /// </summary>
    public TimeSpan SettleBudget { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Keep every resource's log of a clean run too (a failed run always keeps them): to study runs that passed.</summary>
    public bool KeepLogs { get; init; }

    public static ChaosOptions FromEnvironment()
    {
        var options = new ChaosOptions();
        if (int.TryParse(Environment.GetEnvironmentVariable("VIGIL_CHAOS_BATCHES"), NumberStyles.None, CultureInfo.InvariantCulture, out var batches) && batches > 0)
            options = options with { Batches = batches };
        if (int.TryParse(Environment.GetEnvironmentVariable("VIGIL_CHAOS_FAULT_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
            options = options with { FaultDuration = TimeSpan.FromSeconds(seconds) };
        if (Environment.GetEnvironmentVariable("VIGIL_CHAOS_KEEP_LOGS") == "1") options = options with { KeepLogs = true };
        return options;
    }
}
