using System.Text.Json.Nodes;
using Vigil.Contracts;
using Vigil.Lineage.OpenLineage;

namespace Vigil.Lineage.UnitTests.OpenLineage;

/// <summary>The messages of one run, as the stages publish them, and the mapper under test.</summary>
internal static class Batches
{
    public const string Dataset = "banking.transactions";
    public const string Producer = "https://vigil.test/lineage";
    public static readonly Guid RunId = Guid.Parse("0190f7c2-8a6e-7b3c-9d4e-5f6a7b8c9d0e");
    public static readonly DateOnly ExecutionDate = new(2026, 11, 20);
    public static readonly DateTimeOffset T0 = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    public static readonly string TargetKey = $"raw/{Dataset}/2026-11-20/{RunId}.target.csv";
    public static readonly string SourceKey = $"raw/{Dataset}/2026-11-20/{RunId}.source.csv";
    public static readonly string PlainKey = $"raw/{Dataset}/2026-11-20/{RunId}.csv";
    public static readonly string ValidationReport = $"reports/{Dataset}/{RunId}/validation.json";
    public static readonly string DefectsReport = $"reports/{Dataset}/{RunId}/defects.csv";

    public static readonly OpenLineageMapper Mapper = new(new OpenLineageSettings("vigil", Producer, "https://vigil.test/api/lineage/spec/facets/", "vigil"));

    public static BatchIngested Ingested(Guid? runId = null, bool reconciliation = false) => new()
    {
        RunId = runId ?? RunId,
        Dataset = Dataset,
        ExecutionDate = ExecutionDate,
        ObjectKey = reconciliation ? TargetKey : PlainKey,
        ContentType = "text/csv",
        SizeBytes = 1234,
        ContentSha256 = new string('a', 64),
        ReconciliationSource = reconciliation ? new StoredObject(SourceKey, "text/csv", 1300) : null,
        Timing = new StageTiming(Stages.Ingest, T0, T0.AddMilliseconds(40)),
    };

    public static BatchValidated Validated(Guid? runId = null, bool reconciliation = false) => new()
    {
        RunId = runId ?? RunId,
        Dataset = Dataset,
        ExecutionDate = ExecutionDate,
        ObjectKey = reconciliation ? TargetKey : PlainKey,
        RowCount = 4,
        Columns = ["transaction_id", "account_id", "amount"],
        ReportKey = ValidationReport,
        ReportKeys = new Dictionary<string, string> { [ReportKinds.Validation] = ValidationReport, [ReportKinds.Defects] = DefectsReport },
        DqScore = 93.8,
        DqDimensions = new Dictionary<string, double> { ["completeness"] = 75, ["uniqueness"] = 100 },
        RulesChecked = 2,
        RulesFailed = 1,
        DatasetVersion = 3,
        Timing = new StageTiming(Stages.Validate, T0.AddMilliseconds(50), T0.AddMilliseconds(250), 4, 200_000_000),
    };

    public static BatchScored Scored(Guid? runId = null) => new()
    {
        RunId = runId ?? RunId,
        Dataset = Dataset,
        ExecutionDate = ExecutionDate,
        RowCount = 4,
        AnomalyCount = 1,
        ReportKey = $"reports/{Dataset}/{runId ?? RunId}/anomalies.json",
        ModelVersion = "v7",
        Device = "NVIDIA H100 80GB",
        DecisionCounts = new Dictionary<string, long> { ["approve"] = 3, ["block"] = 1 },
        Timing = new StageTiming(Stages.Score, T0.AddMilliseconds(260), T0.AddMilliseconds(300), 4),
    };

    public static RunFailed Failed(string stage = Stages.Validate, Guid? runId = null) => new()
    {
        RunId = runId ?? RunId,
        Dataset = Dataset,
        Stage = stage,
        Reason = "Row 2 has 3 fields; the header has 2.",
        Timing = new StageTiming(stage, T0.AddMilliseconds(50), T0.AddMilliseconds(70)),
        ReportKeys = new Dictionary<string, string> { [ReportKinds.Validation] = ValidationReport },
    };

    public static RunLineageContext Known(bool reconciliation = false) =>
        new(reconciliation ? TargetKey : PlainKey, reconciliation ? SourceKey : null, ExecutionDate, T0);

    /// <summary>Every event of a complete run, as JSON in the form stored and served.</summary>
    public static JsonObject Json(LineageEvent e) => JsonNode.Parse(OpenLineageJson.Serialize(e.Event))!.AsObject();

    public static LineageEvent Single(LineageRecord record, string job, string eventType) =>
        Assert.Single(record.Events, e => e.Job == job && e.EventType == eventType);
}
