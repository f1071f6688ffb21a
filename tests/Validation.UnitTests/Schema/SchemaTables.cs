using Vigil.Tabular.Tables;
using Vigil.Validation.Schema;

namespace Vigil.Validation.UnitTests.Schema;

/// <summary>Builds profiled snapshots from columns of values, for drift tests.</summary>
internal static class SchemaTables
{
    /// <summary>A snapshot of a batch whose columns are given as (name, values); every column has as many values.</summary>
    public static SchemaSnapshot Snapshot(params (string Name, IReadOnlyList<string?> Values)[] columns)
    {
        var rows = Enumerable.Range(0, columns[0].Values.Count).Select(r => columns.Select(c => c.Values[r]).ToArray());
        return SchemaProfiler.Profile(TypedTable.FromRows([.. columns.Select(c => c.Name)], rows));
    }

    public static IReadOnlyList<string?> Numbers(int count, Func<int, double> value) =>
        [.. Enumerable.Range(0, count).Select(i => value(i).ToString(System.Globalization.CultureInfo.InvariantCulture))];

    public static IReadOnlyList<string?> Texts(int count, Func<int, string?> value) => [.. Enumerable.Range(0, count).Select(value)];
}
