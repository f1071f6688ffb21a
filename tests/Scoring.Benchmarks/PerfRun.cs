using System.Diagnostics;
using Vigil.Scoring.Detectors.Categorical;
using Vigil.Scoring.Ensemble;

namespace Vigil.Scoring.Benchmarks;

/// <summary>
/// Wall-clock time of the full ensemble training on N banking rows (20 columns), with its label column and with it
/// hidden (trimming and synthetic-anomaly weights), and of scoring N rows with the labelled model: the first
/// scoring run (cold: JIT, lazy tables) and the median of three more, with the median split by stage, and the process
/// CPU time of the scoring (on a machine shared with other work, wall time rises with the load; CPU time much less).
/// </summary>
public static class PerfRun
{
    private const int WarmRuns = 3;

    public static void Run(int rows)
    {
        Console.Error.WriteLine($"[perf] generating {rows:N0} banking rows twice");
        var training = SeedDatasets.Banking(rows, QualityRun.TrainingSeed);
        var scoring = SeedDatasets.Banking(rows, QualityRun.EvaluationSeed);

        var clock = Stopwatch.StartNew();
        var trainingTable = QualityRun.Read(training.Csv);
        var parseSeconds = clock.Elapsed.TotalSeconds;
        var scoringTable = QualityRun.Read(scoring.Csv);

        Console.Error.WriteLine("[perf] training");
        clock.Restart();
        var (model, metrics) = EnsembleTrainer.Train(trainingTable, new TrainingRequest
        {
            KeyColumns = training.KeyColumns,
            LabelColumn = SeedDatasets.LabelColumn,
            Seed = QualityRun.TrainingSeed,
        });
        var trainingSeconds = clock.Elapsed.TotalSeconds;

        Console.Error.WriteLine("[perf] training without labels (label column hidden: trimming and synthetic weights)");
        var unlabelledRequest = new TrainingRequest { KeyColumns = training.KeyColumns, Seed = QualityRun.TrainingSeed };
        var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        clock.Restart();
        var (unlabelledModel, unlabelled) = EnsembleTrainer.Train(PublicRun.Hide(trainingTable, SeedDatasets.LabelColumn), unlabelledRequest);
        var unlabelledSeconds = clock.Elapsed.TotalSeconds;
        var unlabelledCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds;

        // The same training with the autoencoder at its base width (16-8-16): what widening it with the features costs.
        Console.Error.WriteLine("[perf] training without labels, autoencoder not widened");
        cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        clock.Restart();
        var (narrow, _) = EnsembleTrainer.Train(PublicRun.Hide(trainingTable, SeedDatasets.LabelColumn),
            unlabelledRequest with { Autoencoder = unlabelledRequest.Autoencoder with { WidenWithFeatures = false } });
        var narrowSeconds = clock.Elapsed.TotalSeconds;
        var narrowCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds;

        Console.Error.WriteLine("[perf] scoring");
        clock.Restart();
        model.Score(scoringTable);
        var firstSeconds = clock.Elapsed.TotalSeconds;
        var total = new double[WarmRuns];
        var transform = new double[WarmRuns];
        var statistical = new double[WarmRuns];
        var forest = new double[WarmRuns];
        var autoencoder = new double[WarmRuns];
        var relations = new double[WarmRuns];
        var coOccurrence = new double[WarmRuns];
        var pairsOnly = new double[WarmRuns];
        var histogram = new double[WarmRuns];
        var histogramCpu = new double[WarmRuns];
        var autoencoderCpu = new double[WarmRuns];
        var narrowAutoencoderCpu = new double[WarmRuns];
        var withoutSameValues = model.CoOccurrence is { } detector ? WithoutSameValues(detector) : null;
        var cpu = new double[WarmRuns];
        for (var run = 0; run < WarmRuns; run++)
        {
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            clock.Restart();
            model.Score(scoringTable);
            total[run] = clock.Elapsed.TotalSeconds;
            cpu[run] = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;

            clock.Restart();
            var features = model.Pipeline.Transform(scoringTable);
            transform[run] = clock.Elapsed.TotalSeconds;
            clock.Restart();
            model.Statistical.Score(features);
            statistical[run] = clock.Elapsed.TotalSeconds;
            clock.Restart();
            model.Forest?.Score(features);
            forest[run] = clock.Elapsed.TotalSeconds;
            cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            clock.Restart();
            model.Autoencoder?.Score(features);
            autoencoder[run] = clock.Elapsed.TotalSeconds;
            autoencoderCpu[run] = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            narrow.Autoencoder?.Score(features);
            narrowAutoencoderCpu[run] = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            clock.Restart();
            model.Relations?.ScoresOnly(features);
            relations[run] = clock.Elapsed.TotalSeconds;
            clock.Restart();
            model.CoOccurrence?.ScoresOnly(features);
            coOccurrence[run] = clock.Elapsed.TotalSeconds;
            clock.Restart();
            withoutSameValues?.ScoresOnly(features);
            pairsOnly[run] = clock.Elapsed.TotalSeconds;
            cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            clock.Restart();
            model.Histogram?.ScoresOnly(features);
            histogram[run] = clock.Elapsed.TotalSeconds;
            histogramCpu[run] = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        }

        // The model a dataset without a label column gets (what the platform benchmark trains through the API): every
        // detector has weight, so every detector is scored.
        var unlabelledScoring = Timed(() => unlabelledModel.Score(scoringTable));
        // As the Scoring service scores a batch with the managed detectors (BatchScorer): ChunkedScorer encodes, scores and
        // counts drift a chunk of rows at a time in reused arrays and keeps each row's explanations.
        var chunked = Timed(() => ChunkedScorer.Score(model, scoringTable, runtime: null));
        var unlabelledChunked = Timed(() => ChunkedScorer.Score(unlabelledModel, scoringTable, runtime: null));

        // Where that scoring's CPU goes: each step of the unlabelled model alone, CPU time over all cores.
        var unlabelledFeatures = unlabelledModel.Pipeline.Transform(scoringTable);
        (string Step, Action Run)[] unlabelledSteps =
        [
            ("features (pipeline transform)", () => unlabelledModel.Pipeline.Transform(scoringTable)),
            ("statistical", () => unlabelledModel.Statistical.Score(unlabelledFeatures)),
            ("isolation forest", () => unlabelledModel.Forest?.Score(unlabelledFeatures)),
            ("autoencoder (with contributions)", () => unlabelledModel.Autoencoder?.Score(unlabelledFeatures)),
            ("relations", () => unlabelledModel.Relations?.ScoresOnly(unlabelledFeatures)),
            ("co-occurrence", () => unlabelledModel.CoOccurrence?.ScoresOnly(unlabelledFeatures)),
            ("histogram", () => unlabelledModel.Histogram?.ScoresOnly(unlabelledFeatures)),
        ];
        var unlabelledStepCpu = unlabelledSteps.Select(step => Median([.. Enumerable.Range(0, WarmRuns).Select(_ =>
        {
            var before = Process.GetCurrentProcess().TotalProcessorTime;
            step.Run();
            return (Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds;
        })])).ToArray();

        Console.WriteLine($"# Scoring performance, banking {rows:N0} rows x {training.Columns} columns");
        Console.WriteLine();
        Console.WriteLine(QualityRun.Environment());
        Console.WriteLine("| Step | Seconds | Rows/s |");
        Console.WriteLine("|---|---:|---:|");
        Row("Parse CSV (TableReader, not part of training)", parseSeconds, rows);
        Row($"Train ensemble (fit {metrics.TrainingRows:N0}, calibrate {metrics.CalibrationRows:N0})", trainingSeconds, rows);
        Row($"Train ensemble without labels (fit {unlabelled.TrainingRows:N0} after trimming {unlabelled.TrimmedRows:N0}, calibrate {unlabelled.CalibrationRows:N0}; weights {unlabelled.Weights?.Source})",
            unlabelledSeconds, rows);
        Row("- CPU time of that training, all cores", unlabelledCpu, rows);
        Row($"Train ensemble without labels, autoencoder not widened ({string.Join("-", narrow.Autoencoder?.Options.HiddenLayers ?? [])})", narrowSeconds, rows);
        Row("- CPU time of that training, all cores", narrowCpu, rows);
        Row("Score, first run", firstSeconds, rows);
        Row($"Score, median of {WarmRuns}", Median(total), rows);
        Row($"- CPU time of that scoring, all cores, median (what it costs without other load)", Median(cpu), rows);
        Row("- of which features (pipeline transform), median", Median(transform), rows);
        Row("- of which statistical, median", Median(statistical), rows);
        Row("- of which isolation forest, median", Median(forest), rows);
        Row($"- of which autoencoder (with contributions; hidden {string.Join("-", model.Autoencoder?.Options.HiddenLayers ?? [])}), median", Median(autoencoder), rows);
        Row("- CPU time of the autoencoder, all cores, median", Median(autoencoderCpu), rows);
        Row($"- CPU time of the autoencoder not widened ({string.Join("-", narrow.Autoencoder?.Options.HiddenLayers ?? [])}), all cores, median", Median(narrowAutoencoderCpu), rows);
        Row("- of which relations, median", Median(relations), rows);
        Row($"- of which co-occurrence ({model.CoOccurrence?.Columns.Count ?? 0} columns, same-value columns: {string.Join(", ", model.CoOccurrence?.SameValueColumns ?? [])}), median",
            Median(coOccurrence), rows);
        Row("- the same co-occurrence detector without its same-value columns (what they cost), median", Median(pairsOnly), rows);
        Row($"- of which histogram ({model.Histogram?.FeatureNames.Count ?? 0} features; weight {model.Weights.Histogram:0.###}, skipped when 0), median", Median(histogram), rows);
        Row("- CPU time of the histogram detector, all cores, median", Median(histogramCpu), rows);
        Row($"Score with the model trained without labels (weighted: {string.Join(", ", unlabelledModel.DetectorNames.Where(d => unlabelledModel.Weights.For(d) > 0))}), median of {WarmRuns}",
            unlabelledScoring.Wall, rows);
        Row("- CPU time of that scoring, all cores, median", unlabelledScoring.Cpu, rows);
        for (var i = 0; i < unlabelledSteps.Length; i++)
            Row($"- CPU time of its {unlabelledSteps[i].Step} alone, all cores, median", unlabelledStepCpu[i], rows);
        Row($"Score in chunks of {ChunkedScorer.DefaultChunkRows:N0} rows as the Scoring service does (labelled model, drift and explanations), median of {WarmRuns}",
            chunked.Wall, rows);
        Row("- CPU time of that scoring, all cores, median", chunked.Cpu, rows);
        Row("Score in chunks as the Scoring service does, the model trained without labels, median", unlabelledChunked.Wall, rows);
        Row("- CPU time of that scoring, all cores, median", unlabelledChunked.Cpu, rows);
        Console.WriteLine();
        // The same data and seed train the same models: a change meant to make training faster must not change these.
        Console.WriteLine($"Models trained (SHA-256 of their JSON): with labels {Checksum(model)}, without {Checksum(unlabelledModel)}, not widened {Checksum(narrow)}");
        Console.WriteLine();
    }

    /// <summary>The model's JSON hashed without the one thing that differs between equal trainings: how long the autoencoder took.</summary>
    private static string Checksum(EnsembleModel model)
    {
        var document = System.Text.Json.Nodes.JsonNode.Parse(model.ToJson())!;
        document["autoencoder"]?["training"]?.AsObject().Remove("elapsed");
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(document.ToJsonString())))[..16];
    }

    /// <summary>One untimed run, then the medians of <see cref="WarmRuns"/> timed ones: wall seconds and CPU seconds over all cores.</summary>
    private static (double Wall, double Cpu) Timed(Action run)
    {
        run();
        var wall = new double[WarmRuns];
        var cpu = new double[WarmRuns];
        for (var i = 0; i < WarmRuns; i++)
        {
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            run();
            wall[i] = clock.Elapsed.TotalSeconds;
            cpu[i] = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        }
        return (Median(wall), Median(cpu));
    }

    private static void Row(string step, double seconds, int rows) =>
        Console.WriteLine($"| {step} | {seconds:F2} | {(seconds > 0 ? rows / seconds : 0):N0} |");

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    /// <summary>The detector as it was before same-value columns: its document without them and their pairs.</summary>
    private static CoOccurrenceDetector WithoutSameValues(CoOccurrenceDetector detector)
    {
        var document = System.Text.Json.Nodes.JsonNode.Parse(detector.ToJson())!.AsObject();
        var groups = document["groups"]!.AsArray().Count;
        document.Remove("sameValues");
        document["version"] = 1;
        var pairs = document["pairs"]!.AsArray();
        foreach (var pair in pairs.Where(p => p!["second"]!.GetValue<int>() >= groups).ToList()) pairs.Remove(pair);
        return CoOccurrenceDetector.FromJson(document.ToJsonString());
    }
}
