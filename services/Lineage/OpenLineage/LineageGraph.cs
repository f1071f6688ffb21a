namespace Vigil.Lineage.OpenLineage;

/// <summary>One run of one job (a stage of a Vigil run, or the pipeline run itself) with every dataset it read and wrote.</summary>
public sealed record JobRun(Guid VigilRunId, JobRef Job, IReadOnlyList<DatasetRef> Inputs, IReadOnlyList<DatasetRef> Outputs)
{
    /// <summary>Folds events into job runs: a job run's inputs and outputs are the union over its events (START, COMPLETE, FAIL).</summary>
    public static IReadOnlyList<JobRun> From(IEnumerable<LineageEvent> events) =>
        [.. events
            .GroupBy(e => (e.VigilRunId, Job: new JobRef(e.Event.Job.Namespace, e.Event.Job.Name)))
            .Select(g => new JobRun(g.Key.VigilRunId, g.Key.Job,
                [.. g.SelectMany(e => e.Event.Inputs.Select(i => i.Ref)).Distinct()],
                [.. g.SelectMany(e => e.Event.Outputs.Select(o => o.Ref)).Distinct()]))
            .Where(r => r.Inputs.Count > 0 || r.Outputs.Count > 0)];
}

/// <summary>
/// Upstream and downstream of a dataset, from job runs. Upstream at hop 1 are the jobs that wrote the dataset and the
/// datasets those runs read; hop 2 repeats that from those datasets, and so on. Downstream mirrors it: jobs that read
/// the dataset, the datasets those runs wrote. Only the runs that touched a dataset link it, so one raw object leads
/// to its own run's outputs, not to every output the job ever had. Each dataset is reached once (cycles end there).
/// </summary>
public static class LineageGraph
{
    public const int MaxDepth = 5;

    public static DatasetGraph Traverse(IReadOnlyCollection<JobRun> runs, DatasetRef root, int depth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(depth, MaxDepth);
        var writers = Index(runs, r => r.Outputs);
        var readers = Index(runs, r => r.Inputs);
        var edges = new HashSet<GraphEdge>();

        var upstream = Walk(root, depth, writers, r => r.Inputs, (dataset, job) => edges.Add(new(job.NodeId, dataset.NodeId)),
            (job, input) => edges.Add(new(input.NodeId, job.NodeId)));
        var downstream = Walk(root, depth, readers, r => r.Outputs, (dataset, job) => edges.Add(new(dataset.NodeId, job.NodeId)),
            (job, output) => edges.Add(new(job.NodeId, output.NodeId)));

        return new DatasetGraph(DatasetNode.Of(root, 0), depth, upstream, downstream,
            [.. edges.OrderBy(e => e.From, StringComparer.Ordinal).ThenBy(e => e.To, StringComparer.Ordinal)]);
    }

    private static GraphSide Walk(DatasetRef root, int depth, ILookup<DatasetRef, JobRun> next, Func<JobRun, IReadOnlyList<DatasetRef>> across,
        Action<DatasetRef, JobRef> linkToJob, Action<JobRef, DatasetRef> linkFromJob)
    {
        var datasetHops = new Dictionary<DatasetRef, int> { [root] = 0 };
        var jobHops = new Dictionary<JobRef, int>();
        var jobRuns = new Dictionary<JobRef, HashSet<Guid>>();
        List<DatasetRef> frontier = [root];
        for (var hop = 1; hop <= depth && frontier.Count > 0; hop++)
        {
            var reached = new List<DatasetRef>();
            foreach (var dataset in frontier)
            {
                foreach (var run in next[dataset])
                {
                    jobHops.TryAdd(run.Job, hop);
                    (jobRuns.TryGetValue(run.Job, out var ids) ? ids : jobRuns[run.Job] = []).Add(run.VigilRunId);
                    linkToJob(dataset, run.Job);
                    foreach (var neighbour in across(run))
                    {
                        linkFromJob(run.Job, neighbour);
                        if (datasetHops.TryAdd(neighbour, hop)) reached.Add(neighbour);
                    }
                }
            }
            frontier = reached;
        }

        datasetHops.Remove(root);
        return new GraphSide(
            [.. datasetHops.Select(p => DatasetNode.Of(p.Key, p.Value)).OrderBy(d => d.Hops).ThenBy(d => d.Id, StringComparer.Ordinal)],
            [.. jobHops.Select(p => new JobNode(p.Key.NodeId, p.Key.Namespace, p.Key.Name, p.Value, jobRuns[p.Key].Count))
                .OrderBy(j => j.Hops).ThenBy(j => j.Id, StringComparer.Ordinal)]);
    }

    private static ILookup<DatasetRef, JobRun> Index(IEnumerable<JobRun> runs, Func<JobRun, IReadOnlyList<DatasetRef>> side) =>
        runs.SelectMany(r => side(r).Select(d => (Dataset: d, Run: r))).ToLookup(p => p.Dataset, p => p.Run);
}

/// <summary>A dataset's neighbourhood: <see cref="Edges"/> run from what is read to the job and from the job to what it wrote.</summary>
public sealed record DatasetGraph(DatasetNode Dataset, int Depth, GraphSide Upstream, GraphSide Downstream, IReadOnlyList<GraphEdge> Edges)
{
    /// <summary>True when a hop met more job runs than one answer lists (the most recent are kept); narrow it with runId.</summary>
    public bool Truncated { get; init; }
}

public sealed record GraphSide(IReadOnlyList<DatasetNode> Datasets, IReadOnlyList<JobNode> Jobs);

/// <summary>A dataset <see cref="Hops"/> jobs away from the one asked about.</summary>
public sealed record DatasetNode(string Id, string Namespace, string Name, int Hops)
{
    public static DatasetNode Of(DatasetRef dataset, int hops) => new(dataset.NodeId, dataset.Namespace, dataset.Name, hops);
}

/// <summary>A job first met <see cref="Hops"/> away, with the number of Vigil runs of it that link the datasets shown.</summary>
public sealed record JobNode(string Id, string Namespace, string Name, int Hops, int Runs);

public sealed record GraphEdge(string From, string To);
