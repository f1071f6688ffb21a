using Vigil.Tabular.Tables;
using Vigil.Validation.Rules;

namespace Vigil.Validation.UnitTests.Rules;

/// <summary>
/// A 200,000-row batch built straight from typed arrays, with defects on both sides of the engine's chunk (65,536 rows)
/// and sub-chunk (4,096 rows) boundaries, and nulls whose stored placeholder (0) would fail the range if counted.
/// </summary>
public sealed class LargeBatchTests
{
    private const int Rows = 200_000;
    private static readonly DateOnly ExecutionDate = new(2024, 5, 1);

    private static readonly int[] DuplicateIds = [65_536, 131_072, 199_999];
    private static readonly int[] DuplicateCodes = [70_000, 150_000];
    private static readonly int[] NullCodes = [3_000, 100_000];        // not checked by unique
    private static readonly int[] AmountDefects = [0, 65_535, 65_536, 131_071, 131_072, 199_999];
    private static readonly int[] AmountNulls = [5, 70_001, 140_000];
    private static readonly int[] QuantityDefects = [4_095, 4_096, 65_537];
    private static readonly int[] StaleRows = [1, 65_541];
    private static readonly int[] SumDefects = [4_095, 4_096, 8_191, 65_535, 65_536, 199_999];
    private static readonly int[] SumNulls = [12, 123_456];
    private static readonly int[] FlagNulls = [7, 99_999];

    private static readonly Lazy<TypedTable> Table = new(Build);

    private static readonly RuleDefinition[] AllRules =
    [
        new UniqueRule { Columns = ["id"] },
        new UniqueRule { Columns = ["code"] },
        new RangeRule { Column = "amount", Min = 1, Max = 10 },
        new RangeRule { Column = "qty", Min = 0, Max = 100 },
        new FreshnessRule { Column = "ts", MaxAgeHours = 24 },
        new ExpressionRule { Expression = "a + b == c" },
        new NotNullRule { Column = "flag" },
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    public void Counts_and_samples_are_exact_across_chunk_boundaries_at_any_parallelism(int parallelism)
    {
        var context = new RuleContext { ExecutionDate = ExecutionDate, KeyColumns = ["id"], MaxSamples = 4, MaxDegreeOfParallelism = parallelism };

        var results = RuleEngine.Evaluate(Table.Value, AllRules, context).Results;

        AssertFails(results[0], DuplicateIds, Rows);
        AssertFails(results[1], DuplicateCodes, Rows - NullCodes.Length);
        AssertFails(results[2], AmountDefects, Rows - AmountNulls.Length);
        AssertFails(results[3], QuantityDefects, Rows);
        AssertFails(results[4], StaleRows, Rows);
        AssertFails(results[5], SumDefects, Rows - SumNulls.Length);
        AssertFails(results[6], FlagNulls, Rows);
    }

    [Fact]
    public void Duplicate_samples_show_the_repeated_key()
    {
        var context = new RuleContext { ExecutionDate = ExecutionDate, KeyColumns = ["id", "code"] };

        var sample = RuleEngine.Evaluate(Table.Value, [AllRules[1]], context).Results[0].Samples[0];

        Assert.Equal(70_001, sample.Row);
        Assert.Equal("K3", sample.Values["code"]);
        Assert.Equal(new Dictionary<string, string?> { ["id"] = "70000", ["code"] = "K3" }, sample.Keys);
    }

    private static void AssertFails(RuleResult result, int[] rows, long checkedRows)
    {
        Assert.Equal(rows.Length, result.FailingRows);
        Assert.Equal(checkedRows, result.CheckedRows);
        Assert.Equal(rows.Take(4).Select(r => (long)r + 1), result.Samples.Select(s => s.Row));
    }

    private static TypedTable Build()
    {
        var none = new bool[Rows];
        var ids = new long[Rows];
        var codes = new string?[Rows];
        var codeNulls = new bool[Rows];
        var amounts = new double[Rows];
        var amountNulls = new bool[Rows];
        var quantities = new long[Rows];
        var ticks = new long[Rows];
        var a = new double[Rows];
        var b = new double[Rows];
        var c = new double[Rows];
        var sumNulls = new bool[Rows];
        var flags = new bool[Rows];
        var flagNulls = new bool[Rows];
        var midday = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero).UtcTicks;
        for (var i = 0; i < Rows; i++)
        {
            ids[i] = i;
            codes[i] = $"K{i}";
            amounts[i] = 1 + i % 9;
            quantities[i] = i % 101;
            ticks[i] = midday + i * TimeSpan.TicksPerSecond / 10;
            a[i] = i * 0.1;
            b[i] = 0.2 * (i % 13);
            c[i] = a[i] + b[i];
            flags[i] = i % 2 == 0;
        }
        ids[65_536] = 0;
        ids[131_072] = 65_535;
        ids[199_999] = 100_000;
        foreach (var i in DuplicateCodes) codes[i] = "K3";
        foreach (var i in NullCodes) (codes[i], codeNulls[i]) = (null, true);
        foreach (var i in AmountDefects) amounts[i] = 11;
        foreach (var i in AmountNulls) (amounts[i], amountNulls[i]) = (0, true);
        foreach (var i in QuantityDefects) quantities[i] = -1;
        foreach (var i in StaleRows) ticks[i] = new DateTimeOffset(2024, 4, 30, 23, 59, 59, TimeSpan.Zero).UtcTicks;
        foreach (var i in SumDefects) c[i] += 0.5;
        foreach (var i in SumNulls) (a[i], sumNulls[i]) = (0, true);
        foreach (var i in FlagNulls) flagNulls[i] = true;
        return new TypedTable(
        [
            Column.Integers("id", ids, none),
            Column.Strings("code", codes, codeNulls),
            Column.Decimals("amount", amounts, amountNulls),
            Column.Integers("qty", quantities, none),
            Column.Timestamps("ts", ticks, none),
            Column.Decimals("a", a, sumNulls),
            Column.Decimals("b", b, none),
            Column.Decimals("c", c, none),
            Column.Booleans("flag", flags, flagNulls),
        ], Rows);
    }
}
