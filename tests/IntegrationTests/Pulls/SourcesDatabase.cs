using Npgsql;
using Vigil.IntegrationTests.Infrastructure;

namespace Vigil.IntegrationTests.Pulls;

/// <summary>SQL against the second Postgres database Ingest may pull from (connection 'sources'), created when missing.</summary>
public static class SourcesDatabase
{
    public static async Task ExecuteAsync(VigilAppFixture fixture, string sql)
    {
        var server = new NpgsqlConnectionStringBuilder(fixture.GetConnectionString("postgres"));
        await using (var admin = new NpgsqlConnection(server.ConnectionString))
        {
            await admin.OpenAsync();
            await using var exists = new NpgsqlCommand($"SELECT 1 FROM pg_database WHERE datname = '{VigilAppFixture.SourcesDatabase}'", admin);
            if (await exists.ExecuteScalarAsync() is null)
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE {VigilAppFixture.SourcesDatabase}", admin);
                await create.ExecuteNonQueryAsync();
            }
        }
        server.Database = VigilAppFixture.SourcesDatabase;
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
