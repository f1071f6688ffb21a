using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Vigil.Lineage.OpenLineage;

namespace Vigil.Lineage.Storage;

/// <summary>
/// SQL for the OpenLineage events and the dataset edges derived from them. Writes are idempotent: one event per
/// (run, job, transition), the earliest kept when two messages imply the same one; an edge is a set member.
/// </summary>
public sealed class LineageStore(NpgsqlDataSource db)
{
    /// <summary>Most job runs one hop of a graph walk loads (the most recent: run ids are time-ordered UUIDv7).</summary>
    public const int MaxJobRunsPerHop = 500;

    private const string InsertEvent = """
        INSERT INTO lineage.openlineage_events AS existing (run_id, job, event_type, event_time, ol_run_id, event)
        VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (run_id, job, event_type) DO UPDATE
            SET event_time = EXCLUDED.event_time, ol_run_id = EXCLUDED.ol_run_id, event = EXCLUDED.event, recorded_at = now()
            WHERE EXCLUDED.event_time < existing.event_time
        """;

    private const string InsertEdges = """
        INSERT INTO lineage.lineage_edges (run_id, job_namespace, job, direction, dataset_namespace, dataset_name)
        SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
        ON CONFLICT DO NOTHING
        """;

    /// <summary>Adds a dataset to the inputs of a job's recorded events of the run, where it is missing, and its edge.</summary>
    /// <summary>Adds a dataset to the inputs of the run's recorded events of a job, where it is missing, and its edge; nothing when the job has no events yet.</summary>
    private const string AddLateInput = """
        WITH input AS (SELECT jsonb_build_array(jsonb_build_object('namespace', $4::text, 'name', $5::text)) AS dataset),
        amended AS (
            UPDATE lineage.openlineage_events e SET event = jsonb_set(e.event, '{inputs}', COALESCE(e.event -> 'inputs', '[]'::jsonb) || input.dataset)
            FROM input
            WHERE e.run_id = $1 AND e.job = $3 AND NOT COALESCE(e.event -> 'inputs', '[]'::jsonb) @> input.dataset)
        INSERT INTO lineage.lineage_edges (run_id, job_namespace, job, direction, dataset_namespace, dataset_name)
        SELECT $1, $2, $3, 'input', $4, $5
        WHERE EXISTS (SELECT 1 FROM lineage.openlineage_events WHERE run_id = $1 AND job = $3)
        ON CONFLICT DO NOTHING
        """;

    internal static async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, LineageRecord record, CancellationToken cancellationToken)
    {
        var edges = new EdgeColumns();
        foreach (var e in record.Events)
        {
            await using var insert = new NpgsqlCommand(InsertEvent, connection, transaction);
            Add(insert, e.VigilRunId);
            Add(insert, e.Job);
            Add(insert, e.EventType);
            Add(insert, e.Event.EventTime.ToUniversalTime());
            Add(insert, e.Event.Run.RunId);
            insert.Parameters.Add(new NpgsqlParameter { Value = OpenLineageJson.Serialize(e.Event), NpgsqlDbType = NpgsqlDbType.Jsonb });
            await insert.ExecuteNonQueryAsync(cancellationToken);

            var job = new JobRef(e.Event.Job.Namespace, e.Event.Job.Name);
            foreach (var input in e.Event.Inputs) edges.Add(e.VigilRunId, job, "input", input.Ref);
            foreach (var output in e.Event.Outputs) edges.Add(e.VigilRunId, job, "output", output.Ref);
        }
        if (edges.Count > 0)
        {
            await using var insert = new NpgsqlCommand(InsertEdges, connection, transaction);
            edges.AddParameters(insert);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var late in record.LateInputs)
        {
            await using var amend = new NpgsqlCommand(AddLateInput, connection, transaction);
            Add(amend, late.VigilRunId);
            Add(amend, late.Job.Namespace);
            Add(amend, late.Job.Name);
            Add(amend, late.Dataset.Namespace);
            Add(amend, late.Dataset.Name);
            await amend.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>The run's events as stored (OpenLineage JSON), in the order they happened: starts before ends, the pipeline run around its stages.</summary>
    public async Task<IReadOnlyList<JsonElement>> EventsAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            SELECT event::text FROM lineage.openlineage_events WHERE run_id = $1
            ORDER BY event_time,
                     CASE event_type WHEN 'START' THEN 0 WHEN 'RUNNING' THEN 1 ELSE 2 END,
                     CASE WHEN ol_run_id = run_id THEN (CASE event_type WHEN 'START' THEN 0 ELSE 2 END) ELSE 1 END,
                     job
            """);
        Add(command, runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<JsonElement>();
        while (await reader.ReadAsync(cancellationToken))
        {
            using var json = JsonDocument.Parse(reader.GetString(0));
            events.Add(json.RootElement.Clone());
        }
        return events;
    }

    /// <summary>The namespaces in which a dataset of this name was read or written.</summary>
    public async Task<IReadOnlyList<string>> NamespacesOfAsync(string name, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("SELECT DISTINCT dataset_namespace FROM lineage.lineage_edges WHERE dataset_name = $1 ORDER BY 1");
        Add(command, name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var namespaces = new List<string>();
        while (await reader.ReadAsync(cancellationToken)) namespaces.Add(reader.GetString(0));
        return namespaces;
    }

    /// <summary>
    /// The job runs within <paramref name="depth"/> hops of <paramref name="root"/> (writers of it and of its upstream,
    /// readers of it and of its downstream), optionally of one Vigil run only: what <see cref="LineageGraph.Traverse"/> needs.
    /// </summary>
    public async Task<(IReadOnlyList<JobRun> Runs, bool Truncated)> JobRunsAroundAsync(DatasetRef root, int depth, Guid? runId, CancellationToken cancellationToken)
    {
        var runs = new Dictionary<(Guid, JobRef), JobRun>();
        var truncated = false;
        HashSet<DatasetRef> seenUp = [root], seenDown = [root];
        List<DatasetRef> up = [root], down = [root];
        for (var hop = 1; hop <= depth && (up.Count > 0 || down.Count > 0); hop++)
        {
            var (writers, upCut) = await MatchingJobRunsAsync(up, "output", runId, cancellationToken);
            var (readers, downCut) = await MatchingJobRunsAsync(down, "input", runId, cancellationToken);
            truncated |= upCut || downCut;
            foreach (var run in writers.Concat(readers)) runs.TryAdd((run.VigilRunId, run.Job), run);
            up = [.. writers.SelectMany(r => r.Inputs).Where(seenUp.Add)];
            down = [.. readers.SelectMany(r => r.Outputs).Where(seenDown.Add)];
        }
        return ([.. runs.Values], truncated);
    }

    private async Task<(IReadOnlyList<JobRun> Runs, bool Truncated)> MatchingJobRunsAsync(IReadOnlyList<DatasetRef> datasets, string direction, Guid? runId,
        CancellationToken cancellationToken)
    {
        if (datasets.Count == 0) return ([], false);
        await using var command = db.CreateCommand("""
            WITH matched AS (
                SELECT DISTINCT e.run_id, e.job_namespace, e.job
                FROM lineage.lineage_edges e
                JOIN unnest($1::text[], $2::text[]) AS f(namespace, name) ON e.dataset_namespace = f.namespace AND e.dataset_name = f.name
                WHERE e.direction = $3 AND ($4::uuid IS NULL OR e.run_id = $4)
                ORDER BY e.run_id DESC
                LIMIT $5)
            SELECT e.run_id, e.job_namespace, e.job, e.direction, e.dataset_namespace, e.dataset_name
            FROM lineage.lineage_edges e JOIN matched m USING (run_id, job_namespace, job)
            """);
        Add(command, datasets.Select(d => d.Namespace).ToArray());
        Add(command, datasets.Select(d => d.Name).ToArray());
        Add(command, direction);
        Add(command, runId);
        Add(command, MaxJobRunsPerHop);

        var edges = new List<(Guid Run, JobRef Job, string Direction, DatasetRef Dataset)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                edges.Add((reader.GetGuid(0), new JobRef(reader.GetString(1), reader.GetString(2)), reader.GetString(3), new DatasetRef(reader.GetString(4), reader.GetString(5))));
        }
        List<JobRun> runs = [.. edges.GroupBy(e => (e.Run, e.Job)).Select(g => new JobRun(g.Key.Run, g.Key.Job,
            [.. g.Where(e => e.Direction == "input").Select(e => e.Dataset)],
            [.. g.Where(e => e.Direction == "output").Select(e => e.Dataset)]))];
        return (runs, runs.Count >= MaxJobRunsPerHop);
    }

    private static void Add(NpgsqlCommand command, object? value) => command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });

    /// <summary>Edges as parallel arrays, inserted in one statement.</summary>
    private sealed class EdgeColumns
    {
        private readonly HashSet<(Guid, string, string, string, string, string)> _rows = [];

        public int Count => _rows.Count;

        public void Add(Guid runId, JobRef job, string direction, DatasetRef dataset) =>
            _rows.Add((runId, job.Namespace, job.Name, direction, dataset.Namespace, dataset.Name));

        public void AddParameters(NpgsqlCommand command)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = _rows.Select(r => r.Item1).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = _rows.Select(r => r.Item2).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = _rows.Select(r => r.Item3).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = _rows.Select(r => r.Item4).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = _rows.Select(r => r.Item5).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = _rows.Select(r => r.Item6).ToArray() });
        }
    }
}
