using BenchmarkDotNet.Attributes;
using Vigil.Tabular.Tables;

namespace Vigil.Validation.Benchmarks;

/// <summary>Reading 1,000,000 transactions x 10 columns from bytes in memory into a typed table, per format.</summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class TableReaderBenchmarks
{
    private byte[] _csv = [];
    private byte[] _json = [];
    private byte[] _ndjson = [];

    [Params(1_000_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _csv = SyntheticBatches.TransactionsCsv(Rows, seed: 42);
        _json = SyntheticBatches.TransactionsJson(Rows, seed: 42);
        _ndjson = SyntheticBatches.TransactionsNdjson(Rows, seed: 42);
    }

    [Benchmark(Baseline = true)]
    public TypedTable Csv() => TableReader.Read(new MemoryStream(_csv, writable: false), TableReader.CsvMediaType);

    [Benchmark]
    public TypedTable JsonArray() => TableReader.Read(new MemoryStream(_json, writable: false), TableReader.JsonMediaType);

    [Benchmark]
    public TypedTable Ndjson() => TableReader.Read(new MemoryStream(_ndjson, writable: false), TableReader.NdjsonMediaType);
}
