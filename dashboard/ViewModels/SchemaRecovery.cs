using Vigil.Dashboard.Api;

namespace Vigil.Dashboard.ViewModels;

/// <summary>
/// Recovering a dataset blocked by schema drift: which runs have a schema to accept (validated, or blocked by drift at
/// validation) and the sentence shown once the API has moved the baseline.
/// </summary>
public static class SchemaRecovery
{
    private const string ValidateStage = "validate";
    private const string DriftReasonStart = "Breaking schema drift";

    /// <summary>Failed at validation because the batch's schema broke the baseline under driftPolicy block.</summary>
    public static bool BlockedBySchemaDrift(RunInfo run) =>
        run.Status == "failed" && run.Failure is { Stage: ValidateStage, Reason: { } reason } && reason.StartsWith(DriftReasonStart, StringComparison.Ordinal);

    /// <summary>A run whose observed schema validation kept: one it validated, or one it blocked for drift.</summary>
    public static bool HasSchemaToAccept(RunInfo run) => BlockedBySchemaDrift(run) || run.Validation is not null;

    public static string Describe(SchemaBaselineInfo baseline) =>
        $"The schema baseline of {baseline.Dataset} is now version {baseline.Version} ({baseline.Origin})"
        + (baseline.Description is { Length: > 0 } description ? $": {description}" : ".");
}
