using System.Globalization;
using System.Text;
using Vigil.Scoring.Ensemble;
using Vigil.Tabular.Tables;
using Vigil.Tabular.Writing;

namespace Vigil.Scoring.Reports;

/// <summary>
/// Every row's score as CSV (<c>scores.csv</c>), so that a user can draw their own ROC or choose their own threshold:
/// row (1-based), the key columns, risk, decision, each detector's calibrated evidence in nats
/// (<c>evidence_&lt;detector&gt;</c>, -ln of the share of held-out normal records scoring higher) and the top features.
/// </summary>
/// <remarks>
/// Rows are formatted in blocks, several blocks at once on the thread pool, and handed on in order, so a 600,000-line
/// report is never built whole in memory and the object store receives its first part while later rows are formatted.
/// </remarks>
public sealed class ScoresReport
{
    public const string FileName = "scores.csv";

    /// <summary>Rows per block; a block of a 20-column banking batch is about 3.5 MB of CSV.</summary>
    internal const int BlockRows = 32_768;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly TypedTable _table;
    private readonly EnsembleScores _scores;
    private readonly Column[] _keys;
    private readonly string[] _detectors;
    private readonly float[][] _evidence;

    private ScoresReport(TypedTable table, IReadOnlyList<string> keyColumns, EnsembleScores scores)
    {
        (_table, _scores) = (table, scores);
        _keys = [.. keyColumns.Where(table.HasColumn).Select(name => table[name])];
        _detectors = [.. scores.DetectorEvidence.Keys.Order(StringComparer.Ordinal)];
        _evidence = [.. _detectors.Select(d => scores.DetectorEvidence[d])];
    }

    /// <summary>Where a run's report lives in the object store (beside its anomaly report).</summary>
    public static string Key(string dataset, Guid runId) => $"reports/{dataset}/{runId}/{FileName}";

    /// <summary>The whole report into <paramref name="destination"/>, on the calling thread.</summary>
    public static void Write(Stream destination, TypedTable table, IReadOnlyList<string> keyColumns, EnsembleScores scores)
    {
        var report = new ScoresReport(table, keyColumns, scores);
        destination.Write(report.Header());
        for (var first = 0; first < table.RowCount; first += BlockRows) destination.Write(report.Block(first));
    }

    /// <summary>
    /// The whole report, handed to <paramref name="sink"/> in order, header first, as blocks of rows formatted up to
    /// <paramref name="parallelBlocks"/> at a time.
    /// </summary>
    public static async Task WriteAsync(Func<ReadOnlyMemory<byte>, Task> sink, TypedTable table, IReadOnlyList<string> keyColumns, EnsembleScores scores,
        int parallelBlocks, CancellationToken cancellationToken)
    {
        var report = new ScoresReport(table, keyColumns, scores);
        await sink(report.Header());
        var firsts = Enumerable.Range(0, (table.RowCount + BlockRows - 1) / BlockRows).Select(b => b * BlockRows).ToArray();
        // The next wave is formatted while the previous one is handed on.
        Task<byte[][]>? next = null;
        for (var wave = 0; wave < firsts.Length; wave += parallelBlocks)
        {
            var current = next ?? Format(report, firsts.Skip(wave).Take(parallelBlocks).ToArray(), cancellationToken);
            var following = wave + parallelBlocks;
            next = following < firsts.Length ? Format(report, firsts.Skip(following).Take(parallelBlocks).ToArray(), cancellationToken) : null;
            foreach (var block in await current) await sink(block);
        }
    }

    private static Task<byte[][]> Format(ScoresReport report, int[] firsts, CancellationToken cancellationToken) =>
        Task.Run(() =>
        {
            var blocks = new byte[firsts.Length][];
            Parallel.For(0, firsts.Length, new ParallelOptions { CancellationToken = cancellationToken }, i => blocks[i] = report.Block(firsts[i]));
            return blocks;
        }, cancellationToken);

    private byte[] Header() => Utf8.GetBytes(string.Join(',', new[] { "row" }.Concat(_keys.Select(k => k.Name)).Concat(["risk", "decision"])
        .Concat(_detectors.Select(d => $"evidence_{d}")).Append("top_features").Select(CsvField.Quote)) + "\n");

    /// <summary>The lines of rows <paramref name="first"/> up to the next block, as UTF-8.</summary>
    private byte[] Block(int first)
    {
        var end = Math.Min(_table.RowCount, first + BlockRows);
        var text = new StringBuilder((end - first) * 96);
        Span<char> number = stackalloc char[32];
        for (var row = first; row < end; row++)
        {
            text.Append(row + 1);
            foreach (var key in _keys) text.Append(',').Append(CsvField.Quote(key.IsNull(row) ? "" : key.GetText(row)));
            text.Append(',').Append(Number(_scores.Risk[row], number)).Append(',').Append(_scores.Decision(row));
            foreach (var values in _evidence) text.Append(',').Append(Number(values[row], number));
            text.Append(',');
            var top = _scores.TopFeatures(row);
            if (top.Count > 0) text.Append(CsvField.Quote(string.Join(' ', top)));
            text.Append('\n');
        }
        return Utf8.GetBytes(text.ToString());
    }

    // Risk is a double and each detector's evidence a float: each formatted as its own type, as the report always was.
    private static ReadOnlySpan<char> Number(double value, Span<char> buffer) =>
        value.TryFormat(buffer, out var written, "0.####", CultureInfo.InvariantCulture) ? buffer[..written] : value.ToString("0.####", CultureInfo.InvariantCulture);

    private static ReadOnlySpan<char> Number(float value, Span<char> buffer) =>
        value.TryFormat(buffer, out var written, "0.####", CultureInfo.InvariantCulture) ? buffer[..written] : value.ToString("0.####", CultureInfo.InvariantCulture);
}
