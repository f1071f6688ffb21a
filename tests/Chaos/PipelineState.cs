using System.Text;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Vigil.Chaos;

/// <summary>
/// What the services themselves hold about a run that went wrong, read straight from the database and the broker:
/// Ingest's progress record and outbox (what the redriver decides on), whether Scoring saw the batch, and every
/// pipeline queue's waiting messages and consumers. Tells a lost message from a stalled consumer or a blocked redrive.
/// </summary>
public static class PipelineState
{
    /// <summary>Every queue a batch's messages pass through, as the services name them ({service}-{consumer}).</summary>
    private static readonly string[] Queues =
    [
        "validation-batch-ingested", "scoring-batch-validated", "ingest-run-progress",
        "lineage-batch-ingested", "lineage-batch-validated", "lineage-batch-scored", "lineage-run-failed",
        "alerting-batch-ingested", "alerting-batch-scored", "alerting-run-failed",
    ];

    public static async Task<string> DescribeRunAsync(string postgres, Guid runId, CancellationToken cancellationToken)
    {
        var report = new StringBuilder();
        try
        {
            await using var connection = new NpgsqlConnection(postgres);
            await connection.OpenAsync(cancellationToken);
            await AppendRowsAsync(report, connection, "ingest run", """
                SELECT created_at, progress_at, ended_at, redrives, superseded_by, now() AS read_at FROM ingest.runs WHERE run_id = $1
                """, runId, cancellationToken);
            await AppendRowsAsync(report, connection, "ingest outbox", """
                SELECT message_type, attempts, next_attempt_at, last_error FROM ingest.outbox WHERE run_id = $1
                """, runId, cancellationToken);
            await AppendRowsAsync(report, connection, "scoring batch", "SELECT seen_at, row_count FROM scoring.batches WHERE run_id = $1", runId, cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            report.AppendLine($"  (the database could not be read: {e.Message})");
        }
        return report.ToString();
    }

    public static async Task<string> DescribeQueuesAsync(string rabbitmq, CancellationToken cancellationToken)
    {
        var report = new StringBuilder("Queues (ready messages / consumers):").AppendLine();
        try
        {
            var factory = new ConnectionFactory { Uri = new Uri(rabbitmq), ClientProvidedName = "chaos-post-mortem" };
            await using var connection = await factory.CreateConnectionAsync(cancellationToken);
            foreach (var queue in Queues)
            {
                // A passive declare of a missing queue closes its channel: one channel per queue.
                await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
                try
                {
                    var declared = await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
                    report.AppendLine($"- {queue}: {declared.MessageCount} / {declared.ConsumerCount}");
                }
                catch (OperationInterruptedException)
                {
                    report.AppendLine($"- {queue}: no such queue");
                }
            }
        }
        catch (Exception e) when (e is BrokerUnreachableException or OperationInterruptedException or IOException)
        {
            report.AppendLine($"  (the broker could not be asked: {e.Message})");
        }
        return report.ToString();
    }

    private static async Task AppendRowsAsync(StringBuilder report, NpgsqlConnection connection, string what, string sql, Guid runId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new() { Value = runId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            rows++;
            var fields = Enumerable.Range(0, reader.FieldCount).Select(i => $"{reader.GetName(i)}={(reader.IsDBNull(i) ? "null" : reader.GetValue(i))}");
            report.AppendLine($"  {what}: {string.Join(", ", fields)}");
        }
        if (rows == 0) report.AppendLine($"  {what}: none");
    }
}
