using System.Globalization;
using System.Text;
using Vigil.Tabular.Spill;
using Vigil.Tabular.Tables;

namespace Vigil.Validation.UnitTests.Spill;

public sealed class TableSpillTests
{
    private static readonly SpillOrigin Origin = new("raw/bench/2026-01-01/batch.csv", "text/csv", ',');

    [Fact]
    public void A_spilled_table_reads_back_with_every_column_type_storage_and_null_unchanged()
    {
        var table = MixedTable(rows: 3_000);

        var back = RoundTrip(table);

        AssertSameTable(table, back);
    }

    [Fact]
    public void A_table_with_columns_but_no_rows_reads_back()
    {
        var table = TableReader.Read(new MemoryStream("a,b\n"u8.ToArray()), TableReader.CsvMediaType);

        var back = RoundTrip(table);

        Assert.Equal(0, back.RowCount);
        Assert.Equal(["a", "b"], back.Columns.Select(c => c.Name));
    }

    [Fact]
    public void Every_truncation_of_a_spill_is_refused()
    {
        var bytes = Spill(MixedTable(rows: 40));

        foreach (var length in new[] { 0, 7, 8, 20, bytes.Length / 3, bytes.Length / 2, bytes.Length - 9, bytes.Length - 1 })
        {
            var cut = bytes[..length];
            Assert.Throws<SpillFormatException>(() => TableSpill.Read(new MemoryStream(cut), cut.Length, Origin));
        }
    }

    [Fact]
    public void A_truncated_spill_whose_stated_length_is_the_whole_is_refused()
    {
        var bytes = Spill(MixedTable(rows: 40));

        // The object store said the full length, but the stream ended early (a dropped connection).
        var error = Assert.Throws<SpillFormatException>(() => TableSpill.Read(new MemoryStream(bytes[..(bytes.Length / 2)]), bytes.Length, Origin));
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flipped_bit_anywhere_is_refused()
    {
        var bytes = Spill(MixedTable(rows: 200));

        for (var position = 0; position < bytes.Length; position += Math.Max(1, bytes.Length / 97))
        {
            var corrupt = (byte[])bytes.Clone();
            corrupt[position] ^= 0x10;
            Assert.Throws<SpillFormatException>(() => TableSpill.Read(new MemoryStream(corrupt), corrupt.Length, Origin));
        }
    }

    [Fact]
    public void Bytes_after_the_checksum_are_refused()
    {
        var bytes = Spill(MixedTable(rows: 10)).Append((byte)0).ToArray();

        Assert.Throws<SpillFormatException>(() => TableSpill.Read(new MemoryStream(bytes), bytes.Length, Origin));
    }

    [Fact]
    public void A_spill_read_with_another_delimiter_or_from_another_object_is_refused()
    {
        var bytes = Spill(MixedTable(rows: 10));

        var delimiter = Assert.Throws<SpillFormatException>(() => TableSpill.Read(new MemoryStream(bytes), bytes.Length, Origin with { Delimiter = ';' }));
        Assert.Contains("delimiter ';'", delimiter.Message, StringComparison.Ordinal);
        Assert.Throws<SpillFormatException>(() => TableSpill.Read(new MemoryStream(bytes), bytes.Length, Origin with { ObjectKey = "raw/other.csv" }));
    }

    [Fact]
    public void An_object_that_is_not_a_spill_is_refused_with_that_reason()
    {
        var csv = "id,amount\n1,2.5\n"u8.ToArray();

        var error = Assert.Throws<SpillFormatException>(() => TableSpill.Read(new MemoryStream(csv), csv.Length, Origin));
        Assert.Contains("not a columnar spill", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_text_that_cannot_round_trip_exactly_is_not_spilled()
    {
        var table = TypedTable.FromRows(["note"], Enumerable.Range(0, 200).Select(i => new string?[] { i == 7 ? "lone \ud800" : $"note {i} {Guid.NewGuid()}" }));

        Assert.ThrowsAny<Exception>(() => TableSpill.Write(new MemoryStream(), table, Origin));
    }

    private static TypedTable MixedTable(int rows)
    {
        // Integer, decimal (with values that only survive bit for bit), boolean, timestamp, free text (text store),
        // repeated text that is not categorical (codes), categorical, each with some nulls, plus a column with none.
        var csv = new StringBuilder("id,amount,flag,at,note,city,kind,clean\n");
        for (var i = 0; i < rows; i++)
        {
            string Maybe(string value) => i % 17 == 3 ? "" : value;
            csv.Append(CultureInfo.InvariantCulture, $"{i},{Maybe((i * 0.1 + 1e-9 * i).ToString("R", CultureInfo.InvariantCulture))},{Maybe(i % 3 == 0 ? "true" : "false")},")
                .Append(CultureInfo.InvariantCulture, $"{Maybe(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(i * 37).ToString("O", CultureInfo.InvariantCulture))},")
                .Append(CultureInfo.InvariantCulture, $"{Maybe($"\"free, text {i} é漢\"")},{Maybe($"city{i % (rows / 3 + 1)}")},{Maybe($"k{i % 4}")},{i % 5}\n");
        }
        return TableReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())), TableReader.CsvMediaType);
    }

    private static byte[] Spill(TypedTable table)
    {
        using var stream = new MemoryStream();
        TableSpill.Write(stream, table, Origin);
        return stream.ToArray();
    }

    private static TypedTable RoundTrip(TypedTable table)
    {
        var bytes = Spill(table);
        return TableSpill.Read(new MemoryStream(bytes), bytes.Length, Origin);
    }

    private static void AssertSameTable(TypedTable expected, TypedTable actual)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.Columns.Select(c => (c.Name, c.Type, c.NullCount)), actual.Columns.Select(c => (c.Name, c.Type, c.NullCount)));
        foreach (var column in expected.Columns)
        {
            var other = actual[column.Name];
            Assert.Equal(column.NullMask.ToArray(), other.NullMask.ToArray());
            for (var row = 0; row < expected.RowCount; row++) Assert.Equal(column.GetText(row), other.GetText(row));
            if (column.Type == ColumnType.Decimal)
                Assert.Equal(column.DoubleValues.ToArray().Select(BitConverter.DoubleToInt64Bits), other.DoubleValues.ToArray().Select(BitConverter.DoubleToInt64Bits));
            if (column.Type == ColumnType.Categorical) Assert.Equal(column.Categories, other.Categories);
        }
    }
}
