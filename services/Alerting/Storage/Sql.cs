using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Vigil.Alerting.Storage;

/// <summary>Parameter and column helpers the stores share.</summary>
internal static class Sql
{
    public static NpgsqlCommand Add(this NpgsqlCommand command, object? value)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        return command;
    }

    public static NpgsqlCommand AddJson<T>(this NpgsqlCommand command, T value)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(value, AlertingJson.Options), NpgsqlDbType = NpgsqlDbType.Jsonb });
        return command;
    }

    public static T Json<T>(this NpgsqlDataReader reader, int ordinal) =>
        JsonSerializer.Deserialize<T>(reader.GetString(ordinal), AlertingJson.Options)
        ?? throw new InvalidOperationException($"Column {reader.GetName(ordinal)} holds JSON null.");

    public static string? NullableString(this NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static DateTimeOffset? NullableTime(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    public static DateOnly? NullableDate(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateOnly>(ordinal);
}
