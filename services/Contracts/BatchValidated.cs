namespace Vigil.Contracts;

/// <summary>
/// A batch (or a source/target pair) was read and checked; the run goes on to scoring. Rule failures and drift that
/// did not block are reported here and in the reports under <see cref="ReportKeys"/> (kind -> object key).
/// </summary>
public sealed record BatchValidated : IRunEvent
{
    public required Guid RunId { get; init; }
    public required string Dataset { get; init; }
    public required DateOnly ExecutionDate { get; init; }
    public required string ObjectKey { get; init; }
    public required long RowCount { get; init; }
    public required IReadOnlyList<string> Columns { get; init; }
    public required string ReportKey { get; init; }
    public required StageTiming Timing { get; init; }

    /// <summary>0-100; null when the dataset has no definition to score against.</summary>
    public double? DqScore { get; init; }
    public IReadOnlyDictionary<string, double> DqDimensions { get; init; } = new Dictionary<string, double>();
    public int RulesFailed { get; init; }
    public int RulesChecked { get; init; }
    public IReadOnlyList<string> Drift { get; init; } = [];
    public bool HasBreakingDrift { get; init; }
    public IReadOnlyDictionary<string, string> ReportKeys { get; init; } = new Dictionary<string, string>();
    public ReconciliationSummary? Reconciliation { get; init; }
    public int DatasetVersion { get; init; }

    /// <summary>How to read the raw object again (Scoring does): its media type, CSV delimiter, and the dataset's key columns.</summary>
    public string ContentType { get; init; } = "text/csv";
    public char CsvDelimiter { get; init; } = ',';
    public IReadOnlyList<string> KeyColumns { get; init; } = [];

    /// <summary>
    /// The batch's typed columns as Validation read them (a columnar spill next to the raw object), for Scoring to read
    /// instead of parsing the raw object again; null when none was written (Scoring then reads the raw object).
    /// </summary>
    public string? ColumnsKey { get; init; }
}

/// <summary>Counts of a source-vs-target reconciliation.</summary>
public sealed record ReconciliationSummary(
    long SourceRows, long TargetRows, long MissingInTarget, long UnexpectedInTarget,
    long DuplicateKeysInSource, long DuplicateKeysInTarget, long ChangedRecords, long NullsIntroduced, double ConsistencyScore);
