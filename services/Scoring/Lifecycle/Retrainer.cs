using System.Threading.Channels;
using Vigil.Scoring.Apis;
using Vigil.Scoring.Storage;

namespace Vigil.Scoring.Lifecycle;

/// <summary>A retraining to run: the dataset, how many days of validated runs to train on, and the run whose drift asked for it.</summary>
public sealed record RetrainRequest(string Dataset, int Days, Guid TriggeredBy);

/// <summary>
/// Runs retrainings one at a time, off the scoring path: trains the ensemble on the normal records of the dataset's
/// runs validated in the last N days (at most the newest <see cref="ModelsApi.MaxTrainingRuns"/>) and adds the version
/// as 'testing', where it shadow-scores the next batches. Normal records: rows the validation defects report lists and
/// rows reviewers confirmed as anomalies are left out, and training trims its top-scoring share as a manual training does.
/// Rows the active model flagged stay in: after a drift they are often the new normal the retraining is for.
/// </summary>
public sealed partial class Retrainer(LifecycleStore lifecycle, ScoringStore store, ModelTraining training, ILogger<Retrainer> logger)
    : BackgroundService
{
    private readonly Channel<RetrainRequest> _queue = Channel.CreateUnbounded<RetrainRequest>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(RetrainRequest request) => _queue.Writer.TryWrite(request);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var request in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                var (version, runs) = await RetrainAsync(request, stoppingToken);
                await lifecycle.AddEventAsync(request.Dataset, ModelEventKinds.Retrained, version, request.TriggeredBy,
                    $"trained on {runs.Count} validated run(s) of the last {request.Days} day(s); shadow-scores the next batches as 'testing'",
                    new { trainedFromRuns = runs }, stoppingToken);
                LogRetrained(logger, request.Dataset, version);
            }
            // Whatever stops a retraining (bad data, an unreachable store) is recorded and logged, and the worker goes on
            // with the next request: a failed retraining must not take the scoring service down with it.
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRetrainFailed(logger, request.Dataset, e.Message);
                try
                {
                    await lifecycle.AddEventAsync(request.Dataset, ModelEventKinds.RetrainFailed, null, request.TriggeredBy, e.Message, null, stoppingToken);
                }
                catch (Exception recording) when (recording is Npgsql.NpgsqlException or TimeoutException)
                {
                    LogRetrainFailed(logger, request.Dataset, $"and the failure could not be recorded: {recording.Message}");
                }
            }
        }
    }

    private async Task<(int Version, IReadOnlyList<Guid> Runs)> RetrainAsync(RetrainRequest request, CancellationToken cancellationToken)
    {
        var ids = await lifecycle.ValidatedRunsSinceAsync(request.Dataset, DateTimeOffset.UtcNow.AddDays(-request.Days), ModelsApi.MaxTrainingRuns, cancellationToken);
        var batches = await store.FindBatchesAsync(request.Dataset, ids, cancellationToken);
        if (batches.Count == 0) throw new InvalidOperationException($"'{request.Dataset}' has no run validated in the last {request.Days} day(s) to train on.");
        var (version, _) = await training.TrainAsync(request.Dataset, batches, defaults => defaults, cancellationToken);
        var runs = batches.Select(b => b.RunId).ToList();
        return (version, runs);
    }

    [LoggerMessage(LogLevel.Information, "Retrained {Dataset}: v{Version} is under test")]
    private static partial void LogRetrained(ILogger logger, string dataset, int version);

    [LoggerMessage(LogLevel.Warning, "Retraining {Dataset} failed: {Reason}")]
    private static partial void LogRetrainFailed(ILogger logger, string dataset, string reason);
}
