using System.Text;
using Vigil.Tabular.Parsing;
using Vigil.Tabular.Tables;
using Vigil.Validation.UnitTests.Parsing;
using static Vigil.Validation.UnitTests.Tables.TableTestData;

namespace Vigil.Validation.UnitTests.Tables;

public sealed class TableReaderCsvTests
{
    [Fact]
    public void Csv_gives_one_typed_column_per_header_name_in_order()
    {
        var table = Read("id,amount,paid,booked_at,currency\n1,9.99,true,2024-01-15T10:00:00Z,EUR\n2,5,false,2024-01-16,EUR\n", "text/csv");

        Assert.Equal(2, table.RowCount);
        Assert.Equal(["id", "amount", "paid", "booked_at", "currency"], table.Columns.Select(c => c.Name));
        Assert.Equal(
            [ColumnType.Integer, ColumnType.Decimal, ColumnType.Boolean, ColumnType.Timestamp, ColumnType.Categorical],
            table.Columns.Select(c => c.Type));
        Assert.Equal(5.0, table["amount"].GetDouble(1));
    }

    [Fact]
    public void Quoted_fields_keep_delimiters_doubled_quotes_and_line_breaks()
    {
        var table = Read("id,note\r\n1,\"a, b\"\r\n2,\"say \"\"hi\"\"\"\r\n3,\"two\r\nlines\"\r\n", "text/csv");

        Assert.Equal(3, table.RowCount);
        Assert.Equal(["a, b", "say \"hi\"", "two\r\nlines"], Enumerable.Range(0, 3).Select(table["note"].GetString));
    }

    [Fact]
    public void A_byte_order_mark_is_not_part_of_the_first_column_name()
    {
        var table = ReadBytes([.. Csv.Bom, .. Encoding.UTF8.GetBytes("id,name\n1,x\n")], "text/csv");

        Assert.Equal("id", table.Columns[0].Name);
        Assert.Equal(1, table["id"].GetInt64(0));
    }

    [Fact]
    public void The_delimiter_comes_from_the_options()
    {
        var table = Read("id;amount;note\n1;2.5;\"a;b\"\n", "text/csv", new TableReadOptions { Delimiter = ';' });

        Assert.Equal(["id", "amount", "note"], table.Columns.Select(c => c.Name));
        Assert.Equal(2.5, table["amount"].GetDouble(0));
        Assert.Equal("a;b", table["note"].GetString(0));
    }

    [Fact]
    public void Empty_fields_and_null_tokens_are_nulls()
    {
        var table = Read("a,b\n1,\nNA,x\n,null\n", "text/csv");

        Assert.Equal([false, true, true], table["a"].NullMask.ToArray());
        Assert.Equal([true, false, true], table["b"].NullMask.ToArray());
    }

    [Fact]
    public void A_header_alone_gives_the_columns_and_no_rows()
    {
        var table = Read("id,name\n", "text/csv");

        Assert.Equal(0, table.RowCount);
        Assert.Equal(["id", "name"], table.Columns.Select(c => c.Name));
    }

    [Fact]
    public void The_media_type_may_carry_parameters_and_any_case()
    {
        var table = Read("id\n1\n", "Text/CSV; charset=utf-8");

        Assert.Equal(1, table.RowCount);
    }

    [Fact]
    public void Records_read_on_worker_threads_give_the_same_table_as_read_on_one()
    {
        var text = new StringBuilder("id,amount,label,when,flag\n");
        for (var i = 0; i < 5000; i++)
        {
            text.Append(i).Append(',').Append(i % 7 == 0 ? "" : (i * 0.5).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(',')
                .Append(i % 3 == 0 ? "\"multi\nline, quoted\"" : $"label {i % 40}").Append(',')
                .Append(i == 4000 ? "not a date" : $"2024-01-{1 + i % 28:D2}").Append(',')
                .Append(i % 2 == 0 ? "yes" : "no").Append('\n');
        }
        var bytes = Encoding.UTF8.GetBytes(text.ToString());

        var inline = TableReader.Read(new ForwardOnlyStream(bytes), "text/csv", null, workers: 0, blockChars: 1 << 20);
        var parallel = TableReader.Read(new TrickleStream(bytes), "text/csv", null, workers: 3, blockChars: 100);

        Assert.Equal(5000, parallel.RowCount);
        Assert.Equal(ColumnType.Categorical, parallel["when"].Type);
        Assert.Equal("not a date", parallel["when"].GetString(4000));
        AssertSameTable(inline, parallel);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    public void Build_threads_from_the_options_do_not_change_the_table(int threads)
    {
        var text = new StringBuilder("id,name,score\n");
        for (var i = 0; i < 20_000; i++) text.Append(i).Append(",name ").Append(i % 700).Append(',').Append(i % 9 == 0 ? "NA" : (i % 100 * 0.1).ToString("F1", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');

        var table = Read(text.ToString(), "text/csv", new TableReadOptions { BuildThreads = threads });

        Assert.Equal(20_000, table.RowCount);
        Assert.Equal([ColumnType.Integer, ColumnType.String, ColumnType.Decimal], table.Columns.Select(c => c.Type));
        Assert.Equal("name 399", table["name"].GetString(19_999));
        Assert.Equal(9.9, table["score"].GetDouble(19_999));
        Assert.Equal(2223, table["score"].NullCount);
    }

    [Fact]
    public void Negative_build_threads_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Read("a\n1\n", "text/csv", new TableReadOptions { BuildThreads = -1 }));
    }

    // Bad input

    [Theory]
    [InlineData("")]
    [InlineData("\r\n\n")]
    [InlineData("   ")]
    public void An_empty_batch_is_rejected(string text)
    {
        var error = Assert.Throws<BatchFormatException>(() => Read(text, "text/csv"));

        Assert.Equal("The batch is empty.", error.Message);
    }

    [Fact]
    public void A_batch_of_only_a_byte_order_mark_is_rejected_as_empty()
    {
        var error = Assert.Throws<BatchFormatException>(() => ReadBytes(Csv.Bom, "text/csv"));

        Assert.Equal("The batch is empty.", error.Message);
    }

    [Fact]
    public void A_row_with_too_few_fields_is_rejected_naming_the_row()
    {
        var error = Assert.Throws<BatchFormatException>(() => Read("a,b,c\n1,2,3\n4,5\n", "text/csv"));

        Assert.Equal("Row 2 has 2 fields but the header has 3.", error.Message);
        Assert.IsType<CsvFormatException>(error.InnerException);
    }

    [Fact]
    public void A_ragged_row_deep_in_a_batch_read_on_worker_threads_is_rejected_without_hanging()
    {
        var text = new StringBuilder("a,b\n");
        for (var i = 1; i < 3000; i++) text.Append(i).Append(",x\n");
        text.Append("3000\n");

        var error = Assert.Throws<BatchFormatException>(() =>
            TableReader.Read(new ForwardOnlyStream(Encoding.UTF8.GetBytes(text.ToString())), "text/csv", null, workers: 2, blockChars: 64));

        Assert.Equal("Row 3000 has 1 field but the header has 2.", error.Message);
    }

    [Fact]
    public void An_unterminated_quote_is_rejected_naming_where_the_record_starts()
    {
        var error = Assert.Throws<BatchFormatException>(() => Read("a,b\n1,\"open\n2,3\n", "text/csv"));

        Assert.Equal("Row 1 starting at line 2 has an unterminated quoted field.", error.Message);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_rejected_naming_the_row()
    {
        var error = Assert.Throws<BatchFormatException>(() =>
            ReadBytes([.. Encoding.UTF8.GetBytes("a,b\n1,x\n2,"), 0xFF, .. Encoding.UTF8.GetBytes("y\n")], "text/csv"));

        Assert.Equal("The batch is not valid UTF-8 (row 2).", error.Message);
    }

    [Fact]
    public void A_repeated_column_name_is_rejected()
    {
        var error = Assert.Throws<BatchFormatException>(() => Read("id,name,id\n1,a,2\n", "text/csv"));

        Assert.Equal("Column 'id' appears twice.", error.Message);
    }

    [Fact]
    public void A_media_type_other_than_the_three_is_rejected()
    {
        var error = Assert.Throws<BatchFormatException>(() => Read("a\n1\n", "application/xml"));

        Assert.Equal("Batches of type 'application/xml' cannot be read; send text/csv, application/json or application/x-ndjson.", error.Message);
    }
}
