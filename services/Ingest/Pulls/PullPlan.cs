using System.Text.Json;
using System.Text.RegularExpressions;

namespace Vigil.Ingest.Pulls;

/// <summary>One side of a pull: a connection configured on the server (by name) and a table/view or a read-only query.</summary>
public sealed record PullSide(string Connection, string? Table, string? Query);

/// <summary>
/// What a dataset's definition says to pull (its <c>pull</c> section, owned by Validation): the target, and optionally a
/// source to reconcile it against.
/// </summary>
public sealed partial record PullPlan(PullSide Target, PullSide? Source)
{
    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?\z")]
    private static partial Regex QualifiedName();

    /// <summary>Reads the plan from a dataset definition; null when it has no pull section.</summary>
    public static PullPlan? FromDefinition(JsonElement definition)
    {
        if (!definition.TryGetProperty("pull", out var pull) || pull.ValueKind != JsonValueKind.Object) return null;
        var target = pull.TryGetProperty("target", out var t) ? Side(t) : null;
        var source = pull.TryGetProperty("source", out var s) && s.ValueKind == JsonValueKind.Object ? Side(s) : null;
        return target is null ? null : new PullPlan(target, source);
    }

    private static PullSide? Side(JsonElement side) => side.ValueKind != JsonValueKind.Object
        ? null
        : new PullSide(Text(side, "connection") ?? "", Text(side, "table"), Text(side, "query"));

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The SELECT that produces the side's rows: a quoted table/view name, or the query as a subquery.</summary>
    public static string SelectFor(PullSide side)
    {
        if (side.Table is { } table)
        {
            if (!QualifiedName().IsMatch(table)) throw new PullException($"'{table}' is not a table or view name (schema.name).");
            return "SELECT * FROM " + string.Join('.', table.Split('.').Select(part => $"\"{part}\""));
        }
        if (side.Query is { Length: > 0 } query) return $"SELECT * FROM ({query.TrimEnd().TrimEnd(';')}) AS pulled";
        throw new PullException("A pull side needs a table or a query.");
    }
}

/// <summary>A pull cannot be done as asked; the message says why.</summary>
public sealed class PullException(string message, Exception? inner = null) : Exception(message, inner);
