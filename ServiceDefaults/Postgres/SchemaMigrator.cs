using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Vigil.ServiceDefaults.Postgres;

/// <summary>
/// Creates the service's schema and applies new migration scripts at start-up. An advisory lock keeps replicas
/// starting together from applying the same script twice; applied scripts are recorded in {schema}.schema_migrations.
/// </summary>
internal sealed partial class SchemaMigrator(NpgsqlDataSource dataSource, SchemaMigrations migrations, ILogger<SchemaMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var schema = migrations.Schema;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, transaction, "SELECT pg_advisory_xact_lock(hashtext($1))", cancellationToken, schema);
        await Execute(connection, transaction, $"""
            CREATE SCHEMA IF NOT EXISTS {schema};
            CREATE TABLE IF NOT EXISTS {schema}.schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
            """, cancellationToken);

        foreach (var (name, sql) in migrations.Load())
        {
            await using var applied = new NpgsqlCommand($"SELECT 1 FROM {schema}.schema_migrations WHERE name = $1", connection, transaction) { Parameters = { new() { Value = name } } };
            if (await applied.ExecuteScalarAsync(cancellationToken) is not null) continue;
            await Execute(connection, transaction, $"SET LOCAL search_path TO {schema}; {sql}", cancellationToken);
            await Execute(connection, transaction, $"INSERT INTO {schema}.schema_migrations (name) VALUES ($1)", cancellationToken, name);
            LogApplied(logger, name, schema);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken token, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in parameters) command.Parameters.Add(new NpgsqlParameter { Value = value });
        await command.ExecuteNonQueryAsync(token);
    }

    [LoggerMessage(LogLevel.Information, "Applied migration {Migration} to schema {Schema}")]
    private static partial void LogApplied(ILogger logger, string migration, string schema);
}
