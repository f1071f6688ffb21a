using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Vigil.ServiceDefaults.Postgres;

public static class PostgresExtensions
{
    public const int ConnectTimeoutSeconds = 3;
    public const int CommandTimeoutSeconds = 30;

    /// <summary>
    /// Registers an <see cref="NpgsqlDataSource"/> for <c>ConnectionStrings:{connectionName}</c>, a readiness check, and
    /// the migration of <paramref name="schema"/> from the SQL files embedded in <paramref name="migrations"/>
    /// (resources named <c>*.sql</c>, applied in name order, once each). Call it before adding messaging, so that
    /// tables exist before the first message is consumed.
    /// </summary>
    public static IHostApplicationBuilder AddVigilPostgres(this IHostApplicationBuilder builder, string schema, Assembly migrations, string connectionName = "postgres")
    {
        var connectionString = ConnectionStrings.Require(builder.Configuration, connectionName);
        builder.Services.AddSingleton(_ =>
        {
            var dataSource = new NpgsqlDataSourceBuilder(connectionString) { Name = connectionName };
            dataSource.ConnectionStringBuilder.ApplicationName ??= builder.Environment.ApplicationName;
            // Bounded waits: a server that is down or hung is reported within seconds, never waited on indefinitely.
            var given = new NpgsqlConnectionStringBuilder(connectionString);
            if (!given.ContainsKey("Timeout")) dataSource.ConnectionStringBuilder.Timeout = ConnectTimeoutSeconds;
            if (!given.ContainsKey("Command Timeout")) dataSource.ConnectionStringBuilder.CommandTimeout = CommandTimeoutSeconds;
            return dataSource.Build();
        });
        builder.Services.AddSingleton(new SchemaMigrations(schema, migrations));
        builder.Services.AddHostedService<SchemaMigrator>();
        builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>(connectionName);
        return builder;
    }
}
