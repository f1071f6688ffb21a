namespace Vigil.Validation.Reports;

/// <summary>Where a run's reports live in the object store (their kinds are <see cref="Contracts.ReportKinds"/>).</summary>
public static class ReportKeys
{
    public static string For(string dataset, Guid runId, string file) => $"reports/{dataset}/{runId}/{file}";

    /// <summary>The cleaned copy sits next to the raw batch: raw/.../{run}.csv -> raw/.../{run}.cleaned.csv.</summary>
    public static string CleanedNextTo(string rawObjectKey)
    {
        var dot = rawObjectKey.LastIndexOf('.');
        var slash = rawObjectKey.LastIndexOf('/');
        return (dot > slash ? rawObjectKey[..dot] : rawObjectKey) + ".cleaned.csv";
    }
}
