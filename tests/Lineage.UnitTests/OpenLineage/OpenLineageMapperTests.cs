using System.Text.Json.Nodes;
using Vigil.Contracts;
using Vigil.Lineage.OpenLineage;
using static Vigil.Lineage.UnitTests.OpenLineage.Batches;

namespace Vigil.Lineage.UnitTests.OpenLineage;

public sealed class OpenLineageMapperTests
{
    private const string Validate = Dataset + ".validate";

    [Fact]
    public void Every_event_is_a_run_event_with_producer_schema_url_and_uuid_run_id()
    {
        var events = AllEventsOfAScoredRun();

        Assert.All(events.Select(Json), json =>
        {
            Assert.Equal("https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent", (string?)json["schemaURL"]);
            Assert.Equal(Producer, (string?)json["producer"]);
            Assert.True(Guid.TryParse((string?)json["run"]!["runId"], out _));
            Assert.Equal("vigil", (string?)json["job"]!["namespace"]);
            Assert.True(DateTimeOffset.TryParse((string?)json["eventTime"], out _));
            Assert.Contains((string?)json["eventType"], new[] { "START", "COMPLETE", "FAIL" });
        });
    }

    [Fact]
    public void Events_carry_only_the_fields_of_the_spec()
    {
        string[] eventFields = ["eventType", "eventTime", "run", "job", "inputs", "outputs", "producer", "schemaURL"];
        string[] inputFields = ["namespace", "name", "facets", "inputFacets"];
        string[] outputFields = ["namespace", "name", "facets", "outputFacets"];

        Assert.All(AllEventsOfAScoredRun().Select(Json), json =>
        {
            Assert.Empty(json.Select(p => p.Key).Except(eventFields));
            Assert.All(json["inputs"]!.AsArray(), i => Assert.Empty(i!.AsObject().Select(p => p.Key).Except(inputFields)));
            Assert.All(json["outputs"]!.AsArray(), o => Assert.Empty(o!.AsObject().Select(p => p.Key).Except(outputFields)));
            Assert.Empty(json["run"]!.AsObject().Select(p => p.Key).Except(["runId", "facets"]));
            Assert.Empty(json["job"]!.AsObject().Select(p => p.Key).Except(["namespace", "name", "facets"]));
        });
    }

    [Fact]
    public void Every_facet_names_its_producer_and_schema()
    {
        var facets = AllEventsOfAScoredRun().Select(Json).SelectMany(json => FacetsIn(json)).ToList();

        Assert.NotEmpty(facets);
        Assert.All(facets, facet =>
        {
            Assert.Equal(Producer, (string?)facet["_producer"]);
            Assert.StartsWith("https://", (string?)facet["_schemaURL"]);
            Assert.Contains("#/$defs/", (string?)facet["_schemaURL"]);
        });
    }

    [Fact]
    public void Ingested_batch_starts_the_pipeline_run_and_starts_and_completes_the_ingest_job_at_its_stage_times()
    {
        var record = Mapper.ForIngested(Ingested());

        var pipeline = Single(record, Dataset, "START");
        var start = Single(record, Dataset + ".ingest", "START");
        var complete = Single(record, Dataset + ".ingest", "COMPLETE");
        Assert.Equal(T0, pipeline.Event.EventTime);
        Assert.Equal(RunId, pipeline.Event.Run.RunId);
        Assert.Equal(T0, start.Event.EventTime);
        Assert.Equal(T0.AddMilliseconds(40), complete.Event.EventTime);
        Assert.Empty(complete.Event.Inputs);
        var output = Assert.Single(complete.Event.Outputs);
        Assert.Equal(("s3://vigil", PlainKey), (output.Namespace, output.Name));
        Assert.Equal(1234, (long?)Json(complete)["outputs"]![0]!["outputFacets"]!["outputStatistics"]!["size"]);
    }

    [Fact]
    public void Stage_runs_have_their_own_stable_ids_and_a_parent_facet_pointing_at_the_vigil_run()
    {
        var first = Single(Mapper.ForIngested(Ingested()), Dataset + ".ingest", "COMPLETE");
        var again = Single(Mapper.ForIngested(Ingested()), Dataset + ".ingest", "START");
        var validate = Single(Mapper.ForValidated(Validated(), Known(), null), Validate, "COMPLETE");

        Assert.Equal(first.Event.Run.RunId, again.Event.Run.RunId);
        Assert.NotEqual(RunId, first.Event.Run.RunId);
        Assert.NotEqual(first.Event.Run.RunId, validate.Event.Run.RunId);
        var parent = Json(validate)["run"]!["facets"]!["parent"]!;
        Assert.Equal(RunId.ToString(), (string?)parent["run"]!["runId"]);
        Assert.Equal("vigil", (string?)parent["job"]!["namespace"]);
        Assert.Equal(Dataset, (string?)parent["job"]!["name"]);
        Assert.Equal(RunId, validate.VigilRunId);
    }

    [Fact]
    public void Validated_batch_reads_the_raw_object_and_writes_the_logical_dataset_and_its_reports()
    {
        var record = Mapper.ForValidated(Validated(), Known(), null);

        var complete = Single(record, Validate, "COMPLETE");
        Assert.Equal(T0.AddMilliseconds(50), Single(record, Validate, "START").Event.EventTime);
        Assert.Equal(T0.AddMilliseconds(250), complete.Event.EventTime);
        Assert.Equal([new DatasetRef("s3://vigil", PlainKey)], complete.Event.Inputs.Select(i => i.Ref));
        Assert.Equal(
            [new DatasetRef("vigil", Dataset), new DatasetRef("s3://vigil", DefectsReport), new DatasetRef("s3://vigil", ValidationReport)],
            complete.Event.Outputs.Select(o => o.Ref));
    }

    [Fact]
    public void Validated_dataset_carries_schema_data_quality_metrics_and_the_dq_score_facet()
    {
        var complete = Json(Single(Mapper.ForValidated(Validated(), Known(), null), Validate, "COMPLETE"));

        var validated = complete["outputs"]![0]!;
        Assert.Equal(["transaction_id", "account_id", "amount"], validated["facets"]!["schema"]!["fields"]!.AsArray().Select(f => (string?)f!["name"]));
        Assert.Equal(4, (long?)validated["facets"]!["dataQualityMetrics"]!["rowCount"]);
        Assert.NotNull(validated["facets"]!["dataQualityMetrics"]!["columnMetrics"]);
        var score = validated["facets"]!["vigil_dqScore"]!;
        Assert.Equal(93.8, (double?)score["score"]);
        Assert.Equal(75, (double?)score["dimensions"]!["completeness"]);
        Assert.Equal(1, (int?)score["rulesFailed"]);
        Assert.Equal("https://vigil.test/api/lineage/spec/facets/VigilDqScoreDatasetFacet.json#/$defs/VigilDqScoreDatasetFacet", (string?)score["_schemaURL"]);
        Assert.Equal(4, (long?)validated["outputFacets"]!["outputStatistics"]!["rowCount"]);
        Assert.Equal(3, complete["inputs"]![0]!["facets"]!["schema"]!["fields"]!.AsArray().Count);
    }

    [Fact]
    public void Schema_facet_carries_types_and_column_metrics_from_the_validation_report()
    {
        var columns = new ValidatedColumns(4,
        [
            new ColumnFacts("transaction_id", "string") { NullRate = 0, DistinctCount = 4 },
            new ColumnFacts("account_id", "categorical") { NullRate = 0.25, DistinctCount = 2 },
            new ColumnFacts("amount", "decimal") { NullRate = 0, DistinctCount = 4, Min = 7.25, Max = 1200, Quantiles = new Dictionary<string, double> { ["0.5"] = 12.5 } },
        ]);

        var validated = Json(Single(Mapper.ForValidated(Validated(), Known(), columns), Validate, "COMPLETE"))["outputs"]![0]!["facets"]!;

        var fields = validated["schema"]!["fields"]!.AsArray();
        Assert.Equal(["string", "categorical", "decimal"], fields.Select(f => (string?)f!["type"]));
        Assert.Equal([1, 2, 3], fields.Select(f => (int?)f!["ordinal_position"]));
        var metrics = validated["dataQualityMetrics"]!["columnMetrics"]!;
        Assert.Equal(1, (long?)metrics["account_id"]!["nullCount"]);
        Assert.Equal(3, (long?)metrics["account_id"]!["count"]);
        Assert.Equal(1200, (double?)metrics["amount"]!["max"]);
        Assert.Equal(12.5, (double?)metrics["amount"]!["quantiles"]!["0.5"]);
    }

    [Fact]
    public void Start_events_name_the_datasets_without_their_facets()
    {
        var start = Single(Mapper.ForValidated(Validated(), Known(), null), Validate, "START");

        Assert.NotEmpty(start.Event.Outputs);
        Assert.All(start.Event.Inputs, i => Assert.Null(i.Facets));
        Assert.All(start.Event.Outputs, o => Assert.Null(o.Facets));
    }

    [Fact]
    public void Reconciliation_validate_job_reads_the_source_object_as_an_extra_input()
    {
        var complete = Single(Mapper.ForValidated(Validated(reconciliation: true), Known(reconciliation: true), null), Validate, "COMPLETE");

        Assert.Equal([new DatasetRef("s3://vigil", TargetKey), new DatasetRef("s3://vigil", SourceKey)], complete.Event.Inputs.Select(i => i.Ref));
    }

    [Fact]
    public void Reconciliation_ingest_writes_both_objects_and_declares_them_inputs_of_the_validate_job()
    {
        var record = Mapper.ForIngested(Ingested(reconciliation: true));

        Assert.Equal([TargetKey, SourceKey], Single(record, Dataset + ".ingest", "COMPLETE").Event.Outputs.Select(o => o.Name));
        Assert.Equal([TargetKey, SourceKey], record.LateInputs.Select(l => l.Dataset.Name));
        Assert.All(record.LateInputs, l => Assert.Equal(new JobRef("vigil", Validate), l.Job));
    }

    [Fact]
    public void Scored_batch_reads_the_logical_dataset_writes_the_anomaly_report_and_completes_the_pipeline_run()
    {
        var record = Mapper.ForScored(Scored());

        var complete = Single(record, Dataset + ".score", "COMPLETE");
        Assert.Equal([new DatasetRef("vigil", Dataset)], complete.Event.Inputs.Select(i => i.Ref));
        Assert.Equal([$"reports/{Dataset}/{RunId}/anomalies.json"], complete.Event.Outputs.Select(o => o.Name));
        var scoring = Json(complete)["run"]!["facets"]!["vigil_scoring"]!;
        Assert.Equal("NVIDIA H100 80GB", (string?)scoring["device"]);
        Assert.Equal("v7", (string?)scoring["modelVersion"]);
        Assert.Equal(1, (long?)scoring["anomalyCount"]);
        var pipeline = Single(record, Dataset, "COMPLETE");
        Assert.Equal(T0.AddMilliseconds(300), pipeline.Event.EventTime);
        Assert.Equal(RunId, pipeline.Event.Run.RunId);
    }

    [Fact]
    public void Run_failed_fails_the_stage_and_the_pipeline_run_with_the_error_message()
    {
        var record = Mapper.ForFailed(Failed(), Known());

        var fail = Single(record, Validate, "FAIL");
        Assert.Equal(T0.AddMilliseconds(70), fail.Event.EventTime);
        var error = Json(fail)["run"]!["facets"]!["errorMessage"]!;
        Assert.Equal("Row 2 has 3 fields; the header has 2.", (string?)error["message"]);
        Assert.Equal("C#", (string?)error["programmingLanguage"]);
        Assert.Equal("https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet", (string?)error["_schemaURL"]);
        Assert.Equal(T0.AddMilliseconds(50), Single(record, Validate, "START").Event.EventTime);
        Assert.Equal([PlainKey], fail.Event.Inputs.Select(i => i.Name));
        Assert.Equal([ValidationReport], fail.Event.Outputs.Select(o => o.Name));
        var pipelineError = (string?)Json(Single(record, Dataset, "FAIL"))["run"]!["facets"]!["errorMessage"]!["message"];
        Assert.Contains("validate", pipelineError);
        Assert.Contains("Row 2", pipelineError);
    }

    [Fact]
    public void Failure_before_the_batch_is_known_reads_nothing_and_the_ingest_adds_the_objects_later()
    {
        var record = Mapper.ForFailed(Failed(), new RunLineageContext(null, null, null, T0.AddMilliseconds(50)));

        Assert.Empty(Single(record, Validate, "FAIL").Event.Inputs);
        Assert.Equal(T0.AddMilliseconds(50), Single(record, Dataset, "START").Event.EventTime);
        Assert.Contains(Mapper.ForIngested(Ingested()).LateInputs, l => l.Job.Name == Validate && l.Dataset.Name == PlainKey);
    }

    [Fact]
    public void Scoring_failure_reads_the_logical_dataset()
    {
        var fail = Single(Mapper.ForFailed(Failed(Stages.Score), Known()), Dataset + ".score", "FAIL");

        Assert.Equal([new DatasetRef("vigil", Dataset)], fail.Event.Inputs.Select(i => i.Ref));
    }

    [Fact]
    public void Execution_date_becomes_the_nominal_time_window_of_the_run()
    {
        var nominal = Json(Single(Mapper.ForScored(Scored()), Dataset + ".score", "COMPLETE"))["run"]!["facets"]!["nominalTime"]!;

        Assert.Equal(new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero), DateTimeOffset.Parse((string)nominal["nominalStartTime"]!));
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero), DateTimeOffset.Parse((string)nominal["nominalEndTime"]!));
    }

    [Fact]
    public void Pipeline_job_is_a_dag_and_stage_jobs_are_its_tasks()
    {
        var record = Mapper.ForScored(Scored());

        Assert.Equal("DAG", (string?)Json(Single(record, Dataset, "COMPLETE"))["job"]!["facets"]!["jobType"]!["jobType"]);
        var task = Json(Single(record, Dataset + ".score", "COMPLETE"))["job"]!["facets"]!["jobType"]!;
        Assert.Equal("TASK", (string?)task["jobType"]);
        Assert.Equal("BATCH", (string?)task["processingType"]);
    }

    [Fact]
    public void A_complete_run_has_one_start_and_one_complete_per_job()
    {
        var events = AllEventsOfAScoredRun();

        Assert.All(events.GroupBy(e => e.Job), job => Assert.Equal(["COMPLETE", "START"], job.Select(e => e.EventType).Order()));
        Assert.Equal([Dataset, Dataset + ".ingest", Dataset + ".score", Dataset + ".validate"], events.Select(e => e.Job).Distinct().Order());
    }

    private static List<LineageEvent> AllEventsOfAScoredRun() =>
    [
        .. Mapper.ForIngested(Ingested()).Events,
        .. Mapper.ForValidated(Validated(), Known(), null).Events,
        .. Mapper.ForScored(Scored()).Events,
    ];

    private static IEnumerable<JsonObject> FacetsIn(JsonObject json)
    {
        IEnumerable<JsonNode?> maps =
        [
            json["run"]!["facets"], json["job"]!["facets"],
            .. json["inputs"]!.AsArray().SelectMany(d => new[] { d!["facets"], d["inputFacets"] }),
            .. json["outputs"]!.AsArray().SelectMany(d => new[] { d!["facets"], d["outputFacets"] }),
        ];
        return maps.OfType<JsonObject>().SelectMany(map => map.Select(p => p.Value!.AsObject()));
    }
}
