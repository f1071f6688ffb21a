namespace Vigil.Validation.Reports;

/// <summary>The validation report stored next to the run in the object store.</summary>
public sealed record ValidationReport(Guid RunId, string Dataset, DateOnly ExecutionDate, string ObjectKey, long RowCount,
    IReadOnlyList<string> Columns, DateTimeOffset ValidatedAt)
{
    public static string KeyFor(string dataset, Guid runId) => $"reports/{dataset}/{runId}/validation.json";
}
