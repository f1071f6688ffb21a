using System.Net;
using System.Reflection;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Scoring.Models;
using Vigil.ServiceDefaults.ObjectStore;
using Vigil.Tabular.Tables;
using static Vigil.Scoring.UnitTests.Models.SpillScoringTests;

namespace Vigil.Scoring.UnitTests.Models;

public sealed class BatchLoaderTests
{
    private const string SpillKey = "raw/shop.orders/2026-01-02/run.columns";
    private static readonly byte[] Csv = ShopCsv(600, seed: 4);
    private static readonly ObjectStoreOptions Store = new(new Uri("http://127.0.0.1:1"), "key", "secret", "us-east-1", "vigil");

    [Fact]
    public async Task A_valid_spill_is_read_instead_of_the_raw_batch_and_holds_the_same_table()
    {
        var (table, fromSpill) = await Load(Spill(Read(Csv)));

        Assert.True(fromSpill);
        AssertSame(Read(Csv), table);
    }

    [Fact]
    public async Task A_corrupt_spill_falls_back_to_the_raw_batch()
    {
        var spill = Spill(Read(Csv));
        spill[spill.Length / 2] ^= 0x01;

        var (table, fromSpill) = await Load(spill);

        Assert.False(fromSpill);
        AssertSame(Read(Csv), table);
    }

    [Fact]
    public async Task A_truncated_spill_falls_back_to_the_raw_batch()
    {
        var spill = Spill(Read(Csv));

        var (table, fromSpill) = await Load(spill[..(spill.Length - 100)]);

        Assert.False(fromSpill);
        AssertSame(Read(Csv), table);
    }

    [Fact]
    public async Task A_spill_read_with_another_delimiter_falls_back_to_the_raw_batch()
    {
        var semicolons = "id;amount\nt-1;2.5\nt-2;3.5\n"u8.ToArray();
        var otherReading = Read(Csv);

        // The spill was written for ',' but this batch is read with ';': the spill's table is not this batch's.
        var s3 = FakeS3.With(("batch.csv", semicolons), (SpillKey, Spill(otherReading)));
        var (table, fromSpill) = await new BatchLoader(s3, Store, NullLogger<BatchLoader>.Instance)
            .LoadAsync("batch.csv", TableReader.CsvMediaType, ';', SpillKey, CancellationToken.None);

        Assert.False(fromSpill);
        Assert.Equal(["id", "amount"], table.Columns.Select(c => c.Name));
    }

    [Fact]
    public async Task A_missing_spill_falls_back_to_the_raw_batch()
    {
        var (table, fromSpill) = await Load(spill: null);

        Assert.False(fromSpill);
        AssertSame(Read(Csv), table);
    }

    private static async Task<(TypedTable, bool)> Load(byte[]? spill)
    {
        var objects = new List<(string, byte[])> { (Origin.ObjectKey, Csv) };
        if (spill is not null) objects.Add((SpillKey, spill));
        var loader = new BatchLoader(FakeS3.With([.. objects]), Store, NullLogger<BatchLoader>.Instance);
        return await loader.LoadAsync(Origin.ObjectKey, Origin.ContentType, Origin.Delimiter, SpillKey, CancellationToken.None);
    }

    private static void AssertSame(TypedTable expected, TypedTable actual)
    {
        Assert.Equal(expected.Columns.Select(c => (c.Name, c.Type)), actual.Columns.Select(c => (c.Name, c.Type)));
        foreach (var column in expected.Columns)
            Assert.Equal(Enumerable.Range(0, expected.RowCount).Select(column.GetText), Enumerable.Range(0, actual.RowCount).Select(actual[column.Name].GetText));
    }

    /// <summary>An object store that holds a few objects in memory and answers GetObjectAsync (by key, or a request for the whole object) only.</summary>
    public class FakeS3 : DispatchProxy
    {
        private Dictionary<string, byte[]> _objects = [];

        public static IAmazonS3 With(params (string Key, byte[] Content)[] objects)
        {
            var proxy = Create<IAmazonS3, FakeS3>();
            ((FakeS3)(object)proxy)._objects = objects.ToDictionary(o => o.Key, o => o.Content);
            return proxy;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            var key = (method?.Name, args) switch
            {
                (nameof(IAmazonS3.GetObjectAsync), [string, string byKey, CancellationToken]) => byKey,
                (nameof(IAmazonS3.GetObjectAsync), [GetObjectRequest { ByteRange.FormattedByteRange: "bytes=0-" } whole, CancellationToken]) => whole.Key,
                _ => throw new NotSupportedException($"The fake object store does not do {method?.Name} this way."),
            };
            if (!_objects.TryGetValue(key, out var content))
                return Task.FromException<GetObjectResponse>(new AmazonS3Exception($"No object {key}") { StatusCode = HttpStatusCode.NotFound });
            return Task.FromResult(new GetObjectResponse { ResponseStream = new MemoryStream(content), ContentLength = content.Length });
        }
    }
}
