using Vigil.Contracts;
using Vigil.Lineage.OpenLineage;
using static Vigil.Lineage.UnitTests.OpenLineage.Batches;

namespace Vigil.Lineage.UnitTests.OpenLineage;

public sealed class LineageGraphTests
{
    private static readonly DatasetRef Logical = new("vigil", Dataset);

    [Fact]
    public void Upstream_of_the_logical_dataset_is_the_validate_job_and_the_raw_objects_it_read()
    {
        var graph = LineageGraph.Traverse(JobRun.From(ReconciliationRun(RunId)), Logical, depth: 1);

        Assert.Equal([Dataset + ".validate"], graph.Upstream.Jobs.Select(j => j.Name));
        Assert.Equal([SourceKey, TargetKey], graph.Upstream.Datasets.Select(d => d.Name).Order());
        Assert.All(graph.Upstream.Datasets, d => Assert.Equal(1, d.Hops));
        Assert.Contains(new GraphEdge($"dataset:s3://vigil:{SourceKey}", $"job:vigil:{Dataset}.validate"), graph.Edges);
        Assert.Contains(new GraphEdge($"dataset:s3://vigil:{TargetKey}", $"job:vigil:{Dataset}.validate"), graph.Edges);
        Assert.Contains(new GraphEdge($"job:vigil:{Dataset}.validate", $"dataset:vigil:{Dataset}"), graph.Edges);
    }

    [Fact]
    public void Downstream_of_the_logical_dataset_is_the_score_job_and_its_report()
    {
        var graph = LineageGraph.Traverse(JobRun.From(ReconciliationRun(RunId)), Logical, depth: 1);

        Assert.Equal([Dataset + ".score"], graph.Downstream.Jobs.Select(j => j.Name));
        Assert.Equal([$"reports/{Dataset}/{RunId}/anomalies.json"], graph.Downstream.Datasets.Select(d => d.Name));
    }

    [Fact]
    public void Each_hop_goes_one_job_further()
    {
        var runs = JobRun.From(ReconciliationRun(RunId));
        var source = new DatasetRef("s3://vigil", SourceKey);

        var one = LineageGraph.Traverse(runs, source, depth: 1);
        var two = LineageGraph.Traverse(runs, source, depth: 2);

        Assert.Equal([Dataset + ".validate"], one.Downstream.Jobs.Select(j => j.Name));
        Assert.Contains(one.Downstream.Datasets, d => d.Name == Dataset && d.Hops == 1);
        Assert.DoesNotContain(one.Downstream.Jobs, j => j.Name == Dataset + ".score");
        Assert.Contains(two.Downstream.Jobs, j => j.Name == Dataset + ".score" && j.Hops == 2);
        Assert.Contains(two.Downstream.Datasets, d => d.Name.EndsWith("anomalies.json", StringComparison.Ordinal) && d.Hops == 2);
        Assert.Equal([Dataset + ".ingest"], one.Upstream.Jobs.Select(j => j.Name));
        Assert.Empty(one.Upstream.Datasets);
    }

    [Fact]
    public void A_raw_object_leads_only_to_the_outputs_of_the_run_that_read_it()
    {
        var otherRun = Guid.CreateVersion7();
        var runs = JobRun.From([.. ReconciliationRun(RunId), .. PlainRun(otherRun)]);

        var graph = LineageGraph.Traverse(runs, new DatasetRef("s3://vigil", SourceKey), depth: 1);

        Assert.DoesNotContain(graph.Downstream.Datasets, d => d.Name.Contains(otherRun.ToString(), StringComparison.Ordinal));
        Assert.Contains(graph.Downstream.Datasets, d => d.Name == $"reports/{Dataset}/{RunId}/validation.json");
        Assert.Equal(1, Assert.Single(graph.Downstream.Jobs).Runs);
    }

    [Fact]
    public void The_logical_dataset_gathers_the_raw_objects_of_every_run()
    {
        var otherRun = Guid.CreateVersion7();
        var runs = JobRun.From([.. ReconciliationRun(RunId), .. PlainRun(otherRun)]);

        var graph = LineageGraph.Traverse(runs, Logical, depth: 1);

        Assert.Equal(3, graph.Upstream.Datasets.Count);
        Assert.Equal(2, Assert.Single(graph.Upstream.Jobs).Runs);
    }

    [Fact]
    public void Cycles_end_where_a_dataset_was_already_reached()
    {
        var a = new DatasetRef("vigil", "a");
        var b = new DatasetRef("vigil", "b");
        var run = Guid.CreateVersion7();
        JobRun[] runs =
        [
            new(run, new JobRef("vigil", "a_to_b"), [a], [b]),
            new(run, new JobRef("vigil", "b_to_a"), [b], [a]),
        ];

        var graph = LineageGraph.Traverse(runs, a, depth: LineageGraph.MaxDepth);

        Assert.Equal([b], graph.Downstream.Datasets.Select(d => new DatasetRef(d.Namespace, d.Name)));
        Assert.Equal(["a_to_b", "b_to_a"], graph.Downstream.Jobs.Select(j => j.Name));
        Assert.Equal([b], graph.Upstream.Datasets.Select(d => new DatasetRef(d.Namespace, d.Name)));
        Assert.Equal(0, graph.Dataset.Hops);
    }

    [Fact]
    public void A_dataset_no_run_touched_has_an_empty_graph()
    {
        var graph = LineageGraph.Traverse(JobRun.From(ReconciliationRun(RunId)), new DatasetRef("vigil", "unknown"), depth: 2);

        Assert.Empty(graph.Upstream.Jobs);
        Assert.Empty(graph.Downstream.Jobs);
        Assert.Empty(graph.Edges);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void Depth_outside_one_to_five_is_refused(int depth) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LineageGraph.Traverse([], Logical, depth));

    [Fact]
    public void Pipeline_runs_without_datasets_are_not_job_runs_of_the_graph()
    {
        var runs = JobRun.From(Mapper.ForIngested(Ingested()).Events);

        Assert.Equal([Dataset + ".ingest"], runs.Select(r => r.Job.Name));
    }

    private static List<LineageEvent> ReconciliationRun(Guid runId) =>
    [
        .. Mapper.ForIngested(Ingested(runId, reconciliation: true)).Events,
        .. Mapper.ForValidated(Validated(runId, reconciliation: true), new RunLineageContext(TargetKey, SourceKey, ExecutionDate, T0), null).Events,
        .. Mapper.ForScored(Scored(runId)).Events,
    ];

    private static List<LineageEvent> PlainRun(Guid runId)
    {
        var key = $"raw/{Dataset}/2026-11-21/{runId}.csv";
        return
        [
            .. Mapper.ForIngested(Ingested(runId) with { ObjectKey = key }).Events,
            .. Mapper.ForValidated(Validated(runId) with
            {
                ObjectKey = key,
                ReportKey = $"reports/{Dataset}/{runId}/validation.json",
                ReportKeys = new Dictionary<string, string> { [ReportKinds.Validation] = $"reports/{Dataset}/{runId}/validation.json" },
            }, new RunLineageContext(key, null, ExecutionDate, T0), null).Events,
        ];
    }
}
