using System.Data.Common;

namespace Vigil.Ingest.Pulls;

/// <summary>
/// Reads one side of a pull from whichever database its connection names, as CSV into <paramref name="output"/>.
/// Whatever goes wrong on the way (the source refuses, times out, or goes away mid-read) becomes a
/// <see cref="PullException"/> with the reason; the caller drops the partial output.
/// </summary>
public static class PullExtract
{
    public static async Task<long> ToCsvAsync(PullSource source, PullSide side, Stream output, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return source.Kind switch
            {
                PullSourceKind.Postgres => await PostgresExtract.ToCsvAsync(source.ConnectionString, side, output, timeout, cancellationToken),
                PullSourceKind.Sqlite => await SqliteExtract.ToCsvAsync(source.ConnectionString, side, output, timeout, cancellationToken),
                PullSourceKind.MySql => await MySqlExtract.ToCsvAsync(source.ConnectionString, side, output, timeout, cancellationToken),
                _ => throw new PullException($"Connection '{source.Name}' is of an unknown kind."),
            };
        }
        catch (Exception e) when (e is DbException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw new PullException($"Reading '{side.Table ?? "the query"}' with '{source.Name}' broke off: {e.Message}", e);
        }
    }
}
