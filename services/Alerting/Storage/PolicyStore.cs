using Npgsql;
using Vigil.Alerting.Policies;

namespace Vigil.Alerting.Storage;

/// <summary>A registered policy.</summary>
public sealed record StoredPolicy(Guid Id, PolicyDefinition Definition, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>SQL for alerting.policies. A policy is keyed by (dataset, name); saving it again replaces its definition.</summary>
public sealed class PolicyStore(NpgsqlDataSource db)
{
    private const string Columns = "policy_id, definition, created_at, updated_at";

    public async Task<(StoredPolicy Policy, bool Created)> SaveAsync(PolicyDefinition definition, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand($"""
            INSERT INTO alerting.policies (policy_id, dataset, name, definition) VALUES ($1, $2, $3, $4)
            ON CONFLICT (dataset, name) DO UPDATE SET definition = EXCLUDED.definition, updated_at = now()
            RETURNING {Columns}, (xmax = 0) AS created
            """);
        command.Add(Guid.CreateVersion7()).Add(definition.Dataset).Add(definition.Name).AddJson(definition);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (Read(reader), reader.GetBoolean(4));
    }

    public async Task<IReadOnlyList<StoredPolicy>> ListAsync(string? dataset, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand($"SELECT {Columns} FROM alerting.policies WHERE ($1::text IS NULL OR dataset = $1) ORDER BY dataset, name");
        command.Add(dataset);
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<StoredPolicy?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand($"SELECT {Columns} FROM alerting.policies WHERE policy_id = $1");
        command.Add(id);
        return (await ReadAllAsync(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("DELETE FROM alerting.policies WHERE policy_id = $1");
        command.Add(id);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>The enabled policies of a dataset.</summary>
    public async Task<IReadOnlyList<StoredPolicy>> EnabledForAsync(string dataset, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            $"SELECT {Columns} FROM alerting.policies WHERE dataset = $1 AND (definition ->> 'enabled')::boolean ORDER BY name");
        command.Add(dataset);
        return await ReadAllAsync(command, cancellationToken);
    }

    /// <summary>Enabled policies with a <c>run_not_completed_within</c> condition: the ones the stuck-run sweeper serves.</summary>
    public async Task<IReadOnlyList<StoredPolicy>> WatchingForStuckRunsAsync(CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand($"""
            SELECT {Columns} FROM alerting.policies
            WHERE (definition ->> 'enabled')::boolean AND definition -> 'conditions' @> $1::jsonb
            ORDER BY dataset, name
            """);
        command.Add($$"""[{"kind": "{{ConditionKinds.RunNotCompletedWithin}}"}]""");
        return await ReadAllAsync(command, cancellationToken);
    }

    private static async Task<IReadOnlyList<StoredPolicy>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var policies = new List<StoredPolicy>();
        while (await reader.ReadAsync(cancellationToken)) policies.Add(Read(reader));
        return policies;
    }

    private static StoredPolicy Read(NpgsqlDataReader reader) =>
        new(reader.GetGuid(0), reader.Json<PolicyDefinition>(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3));
}
