namespace Vigil.Chaos;

/// <summary>One batch the chaos client sent, and what it learnt about it.</summary>
public sealed class SubmittedBatch(int index, string dataset, DateOnly executionDate, string idempotencyKey, string csv)
{
    public int Index { get; } = index;
    public string Dataset { get; } = dataset;
    public DateOnly ExecutionDate { get; } = executionDate;
    public string IdempotencyKey { get; } = idempotencyKey;
    public string Csv { get; } = csv;

    /// <summary>The run the gateway answered with (null while not accepted).</summary>
    public Guid? RunId { get; set; }
    public int Attempts { get; set; }

    /// <summary>
    /// Answers other than 202/200 the client met on the way: status and problem title ("503 Dependency unavailable"),
    /// or "no answer" for a timeout or a refused connection.
    /// </summary>
    public Dictionary<string, int> Refusals { get; } = [];

    /// <summary>Seconds from the first attempt to the 202.</summary>
    public double? AcceptSeconds { get; set; }

    public DateTimeOffset? AcceptedAt { get; set; }

    /// <summary>The run's last status as <c>GET /api/runs/{id}</c> showed it (null: never found).</summary>
    public string? Status { get; set; }
    public string? FailureReason { get; set; }
    public IReadOnlyList<string> CompletedStages { get; set; } = [];

    /// <summary>What the run's ingest stage says when Ingest announced it again (a redrive); null otherwise.</summary>
    public string? RedriveNote { get; set; }

    /// <summary>Seconds from the 202 to the run's end, as the run's own timeline records it.</summary>
    public double? CompleteSeconds { get; set; }

    /// <summary>Reports of a completed run that could not be downloaded.</summary>
    public List<string> MissingReports { get; } = [];
}
