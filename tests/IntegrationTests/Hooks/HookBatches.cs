using System.Globalization;
using System.Text;

namespace Vigil.IntegrationTests.Hooks;

/// <summary>
/// Small, regular order batches for the hook tests, judged by scoring without a model (the batch is its own reference):
/// a clean one has no value far from the rest; a bad one has one amount a hundred thousand times too large, far beyond
/// the tail fitted on the batch's top 1% (so a batch of 1000 rows gives it a block, where a few such rows in a small
/// batch would make up that tail themselves and only be reviewed).
/// </summary>
public static class HookBatches
{
    public const string KeyColumn = "order_id";

    public static string Csv(int rows, bool withOutliers)
    {
        // Amounts spread evenly (continuous, bounded): the batch's tail is fitted and no ordinary row stands out.
        var random = new Random(rows);
        var text = new StringBuilder($"{KeyColumn},amount,items\n");
        for (var i = 0; i < rows; i++)
        {
            var amount = Math.Round(100 + 50 * random.NextDouble(), 2);
            if (withOutliers && i == 7) amount *= 100_000;
            text.Append(CultureInfo.InvariantCulture, $"o-{i:D5},{amount},{1 + i % 4}\n");
        }
        return text.ToString();
    }

    /// <summary>Writes a batch to a temporary file that is deleted with the returned handle.</summary>
    public static TempFile Write(string csv) => new(csv);

    public sealed class TempFile : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"vigil-hook-{Guid.NewGuid():n}.csv");

        public TempFile(string content) => File.WriteAllText(Path, content);

        public void Dispose() => File.Delete(Path);
    }
}
