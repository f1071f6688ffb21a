using Vigil.Contracts;

namespace Vigil.Lineage.OpenLineage;

/// <summary>
/// Derives OpenLineage run events from the bus messages of a Vigil run. The run itself is the pipeline job
/// <c>{dataset}</c> (run id = the Vigil run id); each stage is the job <c>{dataset}.{stage}</c> with its own run
/// (<see cref="StageRunId"/>) whose <c>parent</c> facet points at the pipeline run. Each stage message yields START at
/// its StageTiming.StartedAt and COMPLETE (or FAIL, from RunFailed) at its CompletedAt.
/// <list type="bullet">
/// <item>ingest: writes the raw object(s) <c>s3://{bucket}/raw/...</c> (target and, for a reconciliation, source).</item>
/// <item>validate: reads the raw object(s); writes the logical dataset <c>{namespace}/{dataset}</c> (schema,
/// dataQualityMetrics, vigil_dqScore, outputStatistics) and its reports.</item>
/// <item>score: reads the logical dataset; writes the anomaly report when there is one.</item>
/// </list>
/// </summary>
public sealed class OpenLineageMapper(OpenLineageSettings settings)
{
    public const string ProgrammingLanguage = "C#";
    private const string Integration = "VIGIL";

    public JobRef PipelineJob(string dataset) => new(settings.Namespace, dataset);

    public JobRef StageJob(string dataset, string stage) => new(settings.Namespace, $"{dataset}.{stage}");

    public DatasetRef LogicalDataset(string dataset) => new(settings.Namespace, dataset);

    public DatasetRef StoredObject(string objectKey) => new(settings.ObjectStoreNamespace, objectKey);

    public LineageRecord ForIngested(BatchIngested m)
    {
        List<(DatasetRef Dataset, long Size)> written = [(StoredObject(m.ObjectKey), m.SizeBytes)];
        if (m.ReconciliationSource is { } source) written.Add((StoredObject(source.ObjectKey), source.SizeBytes));
        var stage = new StageContext(m.RunId, m.Dataset, Stages.Ingest, m.ExecutionDate);
        var validate = StageJob(m.Dataset, Stages.Validate);
        return new LineageRecord(
        [
            Pipeline(m.RunId, m.Dataset, EventTypes.Start, m.Timing.StartedAt, m.ExecutionDate),
            Stage(stage, EventTypes.Start, m.Timing.StartedAt, [], [.. written.Select(w => Output(w.Dataset))]),
            Stage(stage, EventTypes.Complete, m.Timing.CompletedAt, [],
                [.. written.Select(w => Output(w.Dataset, outputFacets: Facets((FacetNames.OutputStatistics, new OutputStatisticsOutputDatasetFacet(settings.Producer, Size: w.Size)))))]),
        ], [.. written.Select(w => new LateInput(m.RunId, validate, w.Dataset))]);
    }

    public LineageRecord ForValidated(BatchValidated m, RunLineageContext run, ValidatedColumns? columns)
    {
        var stage = new StageContext(m.RunId, m.Dataset, Stages.Validate, m.ExecutionDate);
        var read = ValidateInputs(m.ObjectKey, run.SourceObjectKey);
        var reports = ReportObjects(m.ReportKeys.Values.Append(m.ReportKey));
        var schema = new SchemaDatasetFacet(settings.Producer, columns is null
            ? [.. m.Columns.Select((name, i) => new SchemaField(name, OrdinalPosition: i + 1))]
            : [.. columns.Columns.Select((c, i) => new SchemaField(c.Name, c.Type, i + 1))]);
        var target = read[0];

        var dataset = LogicalDataset(m.Dataset);
        var validated = Output(dataset,
            Facets(
                (FacetNames.Schema, schema),
                (FacetNames.DataQualityMetrics, new DataQualityMetricsDatasetFacet(settings.Producer, m.RowCount, ColumnMetricsOf(columns, m.RowCount))),
                (FacetNames.VigilDqScore, new VigilDqScoreDatasetFacet(settings.Producer,
                    settings.CustomFacetSchema(VigilDqScoreDatasetFacet.SchemaFile, VigilDqScoreDatasetFacet.Definition),
                    m.DqScore, m.DqDimensions, m.RulesChecked, m.RulesFailed, m.DatasetVersion))),
            Facets((FacetNames.OutputStatistics, new OutputStatisticsOutputDatasetFacet(settings.Producer, RowCount: m.RowCount))));

        return new LineageRecord(
        [
            Stage(stage, EventTypes.Start, m.Timing.StartedAt, [.. read.Select(d => Input(d))], [Output(dataset), .. reports.Select(r => Output(r))]),
            Stage(stage, EventTypes.Complete, m.Timing.CompletedAt,
                [Input(target, Facets((FacetNames.Schema, schema))), .. read.Skip(1).Select(d => Input(d))],
                [validated, .. reports.Select(r => Output(r))]),
        ], []);
    }

    public LineageRecord ForScored(BatchScored m)
    {
        var stage = new StageContext(m.RunId, m.Dataset, Stages.Score, m.ExecutionDate);
        InputDataset[] read = [Input(LogicalDataset(m.Dataset))];
        OutputDataset[] written = m.ReportKey is { } key ? [Output(StoredObject(key))] : [];
        var scoring = new VigilScoringRunFacet(settings.Producer, settings.CustomFacetSchema(VigilScoringRunFacet.SchemaFile, VigilScoringRunFacet.Definition),
            m.Device, m.ModelVersion, m.RowCount, m.AnomalyCount, m.DecisionCounts);
        return new LineageRecord(
        [
            Stage(stage, EventTypes.Start, m.Timing.StartedAt, read, written),
            Stage(stage, EventTypes.Complete, m.Timing.CompletedAt, read, written, (FacetNames.VigilScoring, scoring)),
            Pipeline(m.RunId, m.Dataset, EventTypes.Complete, m.Timing.CompletedAt, m.ExecutionDate),
        ], []);
    }

    /// <summary>The failing stage's START and FAIL, and the pipeline run's FAIL (and START, in case no earlier message gave it).</summary>
    public LineageRecord ForFailed(RunFailed m, RunLineageContext run)
    {
        var stage = new StageContext(m.RunId, m.Dataset, m.Stage, run.ExecutionDate);
        InputDataset[] read = m.Stage switch
        {
            Stages.Validate when run.ObjectKey is { } objectKey => [.. ValidateInputs(objectKey, run.SourceObjectKey).Select(d => Input(d))],
            Stages.Score => [Input(LogicalDataset(m.Dataset))],
            _ => [],
        };
        OutputDataset[] written = [.. ReportObjects(m.ReportKeys.Values).Select(r => Output(r))];
        return new LineageRecord(
        [
            Pipeline(m.RunId, m.Dataset, EventTypes.Start, run.StartedAt, run.ExecutionDate),
            Stage(stage, EventTypes.Start, m.Timing.StartedAt, read, written),
            Stage(stage, EventTypes.Fail, m.Timing.CompletedAt, read, written,
                (FacetNames.ErrorMessage, new ErrorMessageRunFacet(settings.Producer, m.Reason, ProgrammingLanguage))),
            Pipeline(m.RunId, m.Dataset, EventTypes.Fail, m.Timing.CompletedAt, run.ExecutionDate,
                (FacetNames.ErrorMessage, new ErrorMessageRunFacet(settings.Producer, $"Stage '{m.Stage}' failed: {m.Reason}", ProgrammingLanguage))),
        ], []);
    }

    private List<DatasetRef> ValidateInputs(string objectKey, string? sourceObjectKey) =>
        sourceObjectKey is null ? [StoredObject(objectKey)] : [StoredObject(objectKey), StoredObject(sourceObjectKey)];

    private List<DatasetRef> ReportObjects(IEnumerable<string> keys) =>
        [.. keys.Where(k => !string.IsNullOrEmpty(k)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(StoredObject)];

    private static Dictionary<string, ColumnMetrics> ColumnMetricsOf(ValidatedColumns? columns, long rows)
    {
        var metrics = new Dictionary<string, ColumnMetrics>(StringComparer.Ordinal);
        foreach (var c in columns?.Columns ?? [])
        {
            long? nulls = c.NullRate is { } rate ? (long)Math.Round(rate * rows) : null;
            metrics[c.Name] = new ColumnMetrics(nulls, c.DistinctCount, rows - nulls, c.Min, c.Max, c.Quantiles);
        }
        return metrics;
    }

    private LineageEvent Pipeline(Guid runId, string dataset, string eventType, DateTimeOffset time, DateOnly? executionDate,
        params (string Name, Facet Facet)[] facets) =>
        new(runId, new RunEvent(eventType, time.ToUniversalTime(),
            new RunInfo(runId, Facets([.. NominalTime(executionDate), .. facets])),
            new JobInfo(settings.Namespace, PipelineJob(dataset).Name, Facets((FacetNames.JobType, JobType("DAG")))),
            [], [], settings.Producer, OpenLineageSpec.RunEvent));

    private LineageEvent Stage(StageContext stage, string eventType, DateTimeOffset time, IReadOnlyList<InputDataset> inputs,
        IReadOnlyList<OutputDataset> outputs, params (string Name, Facet Facet)[] facets)
    {
        var parent = PipelineJob(stage.Dataset);
        var runFacets = Facets([
            (FacetNames.Parent, new ParentRunFacet(settings.Producer, new ParentRun(stage.RunId), new ParentJob(parent.Namespace, parent.Name))),
            .. NominalTime(stage.ExecutionDate),
            .. facets]);
        return new(stage.RunId, new RunEvent(eventType, time.ToUniversalTime(),
            new RunInfo(StageRunId.For(stage.RunId, stage.Stage), runFacets),
            new JobInfo(settings.Namespace, StageJob(stage.Dataset, stage.Stage).Name, Facets((FacetNames.JobType, JobType("TASK")))),
            inputs, outputs, settings.Producer, OpenLineageSpec.RunEvent));
    }

    private IEnumerable<(string, Facet)> NominalTime(DateOnly? executionDate)
    {
        if (executionDate is not { } date) yield break;
        var start = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        yield return (FacetNames.NominalTime, new NominalTimeRunFacet(settings.Producer, start, start.AddDays(1)));
    }

    private JobTypeJobFacet JobType(string jobType) => new(settings.Producer, "BATCH", Integration, jobType);

    private static InputDataset Input(DatasetRef dataset, IReadOnlyDictionary<string, Facet>? facets = null) => new(dataset.Namespace, dataset.Name, facets);

    private static OutputDataset Output(DatasetRef dataset, IReadOnlyDictionary<string, Facet>? facets = null, IReadOnlyDictionary<string, Facet>? outputFacets = null) =>
        new(dataset.Namespace, dataset.Name, facets, outputFacets);

    private static Dictionary<string, Facet> Facets(params IEnumerable<(string Name, Facet Facet)> facets) =>
        facets.ToDictionary(f => f.Name, f => f.Facet, StringComparer.Ordinal);

    private sealed record StageContext(Guid RunId, string Dataset, string Stage, DateOnly? ExecutionDate);
}
