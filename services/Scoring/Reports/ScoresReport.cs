using System.Text;
using Vigil.Contracts;
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
/// A block's buffer comes from the shared array pool and goes back once handed on; numbers are written as UTF-8 digits
/// (<see cref="FourDecimalFormat"/>) and text keys from the column's characters, so a block allocates nothing per row.
/// </remarks>
public sealed class ScoresReport
{
    public const string FileName = "scores.csv";

    /// <summary>Rows per block; a block of a 20-column banking batch is about 3.5 MB of CSV.</summary>
    internal const int BlockRows = 32_768;

    private const int TopFeatureCount = 3;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly TypedTable _table;
    private readonly EnsembleScores _scores;
    private readonly Column[] _keys;
    private readonly string[] _detectors;
    private readonly float[][] _evidence;
    private readonly string[] _featureNames;
    private readonly byte[][] _featureBytes;
    private readonly bool[] _featureNeedsQuote;

    private ScoresReport(TypedTable table, IReadOnlyList<string> keyColumns, EnsembleScores scores)
    {
        (_table, _scores) = (table, scores);
        _keys = [.. keyColumns.Where(table.HasColumn).Select(name => table[name])];
        _detectors = [.. scores.DetectorEvidence.Keys.Order(StringComparer.Ordinal)];
        _evidence = [.. _detectors.Select(d => scores.DetectorEvidence[d])];
        _featureNames = [.. scores.FeatureColumnNames];
        _featureBytes = [.. _featureNames.Select(Utf8.GetBytes)];
        _featureNeedsQuote = [.. _featureNames.Select(name => !ReferenceEquals(CsvField.Quote(name), name))];
    }

    /// <summary>Where a run's report lives in the object store (beside its anomaly report).</summary>
    public static string Key(string dataset, Guid runId) => $"reports/{dataset}/{runId}/{FileName}";

    /// <summary>The whole report into <paramref name="destination"/>, on the calling thread.</summary>
    public static void Write(Stream destination, TypedTable table, IReadOnlyList<string> keyColumns, EnsembleScores scores)
    {
        var report = new ScoresReport(table, keyColumns, scores);
        destination.Write(report.Header());
        for (var first = 0; first < table.RowCount; first += BlockRows)
        {
            var block = report.Block(first);
            destination.Write(block.Written.Span);
            block.Return();
        }
    }

    /// <summary>
    /// The whole report, handed to <paramref name="sink"/> in order, header first, as blocks of rows formatted up to
    /// <paramref name="parallelBlocks"/> at a time. A block's bytes are pooled: <paramref name="sink"/> copies what it keeps
    /// before its task completes.
    /// </summary>
    public static async Task WriteAsync(Func<ReadOnlyMemory<byte>, Task> sink, TypedTable table, IReadOnlyList<string> keyColumns, EnsembleScores scores,
        int parallelBlocks, CancellationToken cancellationToken)
    {
        var report = new ScoresReport(table, keyColumns, scores);
        await sink(report.Header());
        var firsts = Enumerable.Range(0, (table.RowCount + BlockRows - 1) / BlockRows).Select(b => b * BlockRows).ToArray();
        // The next wave is formatted while the previous one is handed on.
        Task<Utf8LineWriter[]>? next = null;
        for (var wave = 0; wave < firsts.Length; wave += parallelBlocks)
        {
            var current = next ?? Format(report, firsts.Skip(wave).Take(parallelBlocks).ToArray(), cancellationToken);
            var following = wave + parallelBlocks;
            next = following < firsts.Length ? Format(report, firsts.Skip(following).Take(parallelBlocks).ToArray(), cancellationToken) : null;
            var blocks = await current;
            for (var b = 0; b < blocks.Length; b++)
            {
                await sink(blocks[b].Written);
                blocks[b].Return();
            }
        }
    }

    private static Task<Utf8LineWriter[]> Format(ScoresReport report, int[] firsts, CancellationToken cancellationToken) =>
        Task.Run(() =>
        {
            var blocks = new Utf8LineWriter[firsts.Length];
            Parallel.For(0, firsts.Length, new ParallelOptions { CancellationToken = cancellationToken }, i => blocks[i] = report.Block(firsts[i]));
            return blocks;
        }, cancellationToken);

    private byte[] Header() => Utf8.GetBytes(string.Join(',', new[] { "row" }.Concat(_keys.Select(k => k.Name)).Concat(["risk", "decision"])
        .Concat(_detectors.Select(d => $"evidence_{d}")).Append("top_features").Select(CsvField.Quote)) + "\n");

    /// <summary>The lines of rows <paramref name="first"/> up to the next block, formatted straight into a pooled UTF-8 buffer.</summary>
    private Utf8LineWriter Block(int first)
    {
        var end = Math.Min(_table.RowCount, first + BlockRows);
        var line = new Utf8LineWriter((end - first) * 112);
        Span<int> top = stackalloc int[TopFeatureCount];
        for (var row = first; row < end; row++)
        {
            line.Number(row + 1);
            foreach (var key in _keys)
            {
                line.Byte((byte)',');
                if (key.IsNull(row)) continue;
                if (key.Type == ColumnType.Integer) line.Number(key.GetInt64(row));
                else if (key.Type is ColumnType.String or ColumnType.Categorical) line.Field(key.GetStringSpan(row));
                else line.Text(CsvField.Quote(key.GetText(row)));
            }
            // Risk is a double and each detector's evidence a float, each written as its own type's ToString("0.####") as the report always was.
            line.Byte((byte)',');
            line.FourDecimals(_scores.Risk[row]);
            line.Byte((byte)',');
            line.Bytes(DecisionBytes(_scores.Decision(row)));
            foreach (var values in _evidence)
            {
                line.Byte((byte)',');
                line.FourDecimals(values[row]);
            }
            line.Byte((byte)',');
            TopFeatures(ref line, _scores.TopFeatureColumns(row, top), top);
            line.Byte((byte)'\n');
        }
        return line;
    }

    /// <summary>The top features joined by spaces, quoted as one field only when a name needs it (as the joined text would be).</summary>
    private void TopFeatures(ref Utf8LineWriter line, int found, ReadOnlySpan<int> top)
    {
        var quoted = false;
        for (var k = 0; k < found; k++) quoted |= _featureNeedsQuote[top[k]];
        if (quoted)
        {
            var names = new string[found];
            for (var k = 0; k < found; k++) names[k] = _featureNames[top[k]];
            line.Text(CsvField.Quote(string.Join(' ', names)));
            return;
        }
        for (var k = 0; k < found; k++)
        {
            if (k > 0) line.Byte((byte)' ');
            line.Bytes(_featureBytes[top[k]]);
        }
    }

    private static ReadOnlySpan<byte> DecisionBytes(string decision) => decision switch
    {
        Decisions.Block => "block"u8,
        Decisions.Review => "review"u8,
        _ => "approve"u8,
    };
}
