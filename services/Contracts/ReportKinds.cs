namespace Vigil.Contracts;

/// <summary>
/// The kinds of report a run can have: the keys of a run's <c>ReportKeys</c> in messages, and the <c>{kind}</c> of
/// GET /api/runs/{id}/reports/{kind}.
/// </summary>
public static class ReportKinds
{
    /// <summary>The validation summary (JSON): rules, drift, quality, reconciliation counts.</summary>
    public const string Validation = "validation";

    /// <summary>The rows that failed a rule (CSV).</summary>
    public const string Defects = "defects";

    /// <summary>The rows missing, unexpected or changed against the reconciliation source (CSV).</summary>
    public const string Reconciliation = "reconciliation";

    /// <summary>The batch after the dataset's cleaning steps (CSV).</summary>
    public const string Cleaned = "cleaned";

    /// <summary>The run's anomalies with their decisions (JSON).</summary>
    public const string Anomalies = "anomalies";

    /// <summary>Every row's risk and evidence (CSV).</summary>
    public const string Scores = "scores";
}
