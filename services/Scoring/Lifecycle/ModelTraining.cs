using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Models;
using Vigil.Scoring.Storage;
using Vigil.ServiceDefaults.Memory;

namespace Vigil.Scoring.Lifecycle;

/// <summary>
/// One training from validated runs to a stored version, as the training API and the retrainer both run it: the runs
/// read as training batches, the ensemble trained off the request's thread, the version stored (graphs, then the model
/// document), and the memory the batches took given back: at once after a large training, else once Scoring is idle. One
/// log line says where the time went.
/// </summary>
public sealed partial class ModelTraining(TrainingBatches trainingBatches, ModelRegistry registry, IdleMemoryRelease memory, ILogger<ModelTraining> logger)
{
    /// <param name="configure">The request for these runs' batches (their key columns are set from the first run).</param>
    public async Task<(int Version, TrainingMetrics Metrics)> TrainAsync(string dataset, IReadOnlyList<BatchRecord> batches,
        Func<TrainingRequest, TrainingRequest> configure, CancellationToken cancellationToken)
    {
        var clock = new StepClock();
        var training = new List<TrainingBatch>();
        foreach (var batch in batches) training.Add(await trainingBatches.LoadAsync(batch, cancellationToken));
        clock.Lap("read runs");
        var request = configure(new TrainingRequest { KeyColumns = batches[0].KeyColumns });
        var (model, metrics) = await Task.Run(() => EnsembleTrainer.Train(training, request), cancellationToken);
        clock.Lap("train");
        var version = await registry.AddAsync(dataset, model, metrics, [.. batches.Select(b => b.RunId)], cancellationToken);
        clock.Lap("stored");
        var rows = training.Sum(b => (long)b.Table.RowCount);
        IdleMemoryRelease.ReleaseNow(rows);
        memory.AfterWork();
        LogTrained(logger, dataset, version, rows, (long)clock.TotalMilliseconds, clock.ToString());
        return (version, metrics);
    }

    [LoggerMessage(LogLevel.Information, "Trained {Dataset} v{Version} on {Rows} rows in {Milliseconds} ms: {Steps}")]
    private static partial void LogTrained(ILogger logger, string dataset, int version, long rows, long milliseconds, string steps);
}
