using Vigil.Scoring.Ensemble;
using Vigil.Scoring.Models;
using Vigil.Scoring.Storage;

namespace Vigil.Scoring.Lifecycle;

/// <summary>
/// A validated run as a batch to train on: its table, less the rows that failed a rule (its defects report) and those a
/// reviewer confirmed as anomalies (feedback): neither is a normal record. The training API and the retrainer both read
/// runs this way.
/// </summary>
public sealed class TrainingBatches(BatchLoader loader, LifecycleStore lifecycle)
{
    public async Task<TrainingBatch> LoadAsync(BatchRecord batch, CancellationToken cancellationToken)
    {
        var (table, _) = await loader.LoadAsync(batch.ObjectKey, batch.ContentType, batch.CsvDelimiter, batch.ColumnsKey, cancellationToken);
        var excluded = new HashSet<int>(await loader.FailingRowsAsync(batch.DefectsKey, cancellationToken));
        excluded.UnionWith(await lifecycle.ConfirmedAnomalyRowsAsync(batch.RunId, cancellationToken));
        return new TrainingBatch(table, excluded);
    }
}
