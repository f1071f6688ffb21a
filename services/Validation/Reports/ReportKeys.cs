namespace Vigil.Validation.Reports;

/// <summary>Where a run's reports live in the object store, by kind (the kind is the name used in GET /api/runs/{id}/reports/{kind}).</summary>
public static class ReportKeys
{
    public const string Validation = "validation";
    public const string Defects = "defects";
    public const string Reconciliation = "reconciliation";
    public const string Cleaned = "cleaned";

    public static string For(string dataset, Guid runId, string file) => $"reports/{dataset}/{runId}/{file}";

    /// <summary>The cleaned copy sits next to the raw batch: raw/.../{run}.csv -> raw/.../{run}.cleaned.csv.</summary>
    public static string CleanedNextTo(string rawObjectKey)
    {
        var dot = rawObjectKey.LastIndexOf('.');
        var slash = rawObjectKey.LastIndexOf('/');
        return (dot > slash ? rawObjectKey[..dot] : rawObjectKey) + ".cleaned.csv";
    }
}
