namespace Vigil.Lineage.OpenLineage;

/// <summary>What Lineage records for one bus message: the OpenLineage events it implies, and inputs it adds to events recorded earlier.</summary>
public sealed record LineageRecord(IReadOnlyList<LineageEvent> Events, IReadOnlyList<LateInput> LateInputs);

/// <summary>One OpenLineage event and the Vigil run it belongs to (the pipeline run; each stage's run is a child of it).</summary>
public sealed record LineageEvent(Guid VigilRunId, RunEvent Event)
{
    public string Job => Event.Job.Name;
    public string EventType => Event.EventType;
}

/// <summary>
/// A dataset a job of the run reads, known from a message that may be consumed after that job's events were recorded:
/// the raw objects of a reconciliation are named by BatchIngested, while the validate job's events come from
/// BatchValidated or RunFailed, on another queue. Added to the job's recorded events (if any) when it is not there yet.
/// </summary>
public sealed record LateInput(Guid VigilRunId, JobRef Job, DatasetRef Dataset);

/// <summary>What Lineage has recorded about a run when it maps a message (this message's facts included).</summary>
public sealed record RunLineageContext(string? ObjectKey, string? SourceObjectKey, DateOnly? ExecutionDate, DateTimeOffset StartedAt);
