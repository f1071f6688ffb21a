using System.Text.RegularExpressions;

namespace Vigil.Validation.Datasets;

/// <summary>
/// Where a dataset can be pulled from (POST /api/datasets/{name}/pulls, run by Ingest): the target, and optionally a
/// source to reconcile against. Connections are names configured on the server, never connection strings.
/// </summary>
public sealed record DatasetPull(PullEndpoint Target, PullEndpoint? Source);

/// <summary>A server-side connection name plus a table/view (<c>schema.name</c>) or a read-only query.</summary>
public sealed partial record PullEndpoint(string Connection, string? Table = null, string? Query = null)
{
    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}\z")]
    private static partial Regex ConnectionName();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?\z")]
    private static partial Regex QualifiedName();

    public IEnumerable<string> Problems(string side)
    {
        if (!ConnectionName().IsMatch(Connection ?? ""))
            yield return $"pull.{side}.connection must name a connection configured on the server (letters, digits, '_' or '-').";
        if ((Table is null) == (Query is null))
            yield return $"pull.{side} needs exactly one of 'table' or 'query'.";
        if (Table is not null && !QualifiedName().IsMatch(Table))
            yield return $"pull.{side}.table '{Table}' is not a table or view name (schema.name).";
        if (Query is not null && !Query.TrimStart().StartsWith("select", StringComparison.OrdinalIgnoreCase) && !Query.TrimStart().StartsWith("with", StringComparison.OrdinalIgnoreCase))
            yield return $"pull.{side}.query must be a SELECT (it runs in a read-only transaction).";
    }
}
