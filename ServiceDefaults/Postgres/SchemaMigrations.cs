using System.Reflection;

namespace Vigil.ServiceDefaults.Postgres;

/// <summary>A service's own schema and the ordered SQL scripts that build it.</summary>
public sealed record SchemaMigrations(string Schema, Assembly Source)
{
    public IReadOnlyList<(string Name, string Sql)> Load() =>
        [.. Source.GetManifestResourceNames()
            .Where(n => n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var reader = new StreamReader(Source.GetManifestResourceStream(n)!);
                return (Name: n, Sql: reader.ReadToEnd());
            })];
}
