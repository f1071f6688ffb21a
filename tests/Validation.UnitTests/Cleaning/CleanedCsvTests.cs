using System.Text;
using Vigil.Tabular.Parsing;
using Vigil.Tabular.Tables;
using Vigil.Validation.Cleaning;

namespace Vigil.Validation.UnitTests.Cleaning;

public sealed class CleanedCsvTests
{
    private static string Write(TypedTable table)
    {
        using var output = new MemoryStream();
        CleanedCsv.Write(table, output);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Fact]
    public void Table_is_written_as_rfc_4180_with_a_header_crlf_and_quoted_fields()
    {
        var table = TypedTable.FromRows(["id", "amount", "note", "at", "ok"],
        [
            ["1", "10.25", "plain", "2024-01-02T03:04:05Z", "yes"],
            ["2", null, "has, comma", "2024-01-02", "no"],
            ["-3", "1e3", "say \"hi\"\nbye", null, null],
        ]);

        var csv = Write(table);

        Assert.Equal(
            "id,amount,note,at,ok\r\n" +
            "1,10.25,plain,2024-01-02T03:04:05.0000000+00:00,true\r\n" +
            "2,,\"has, comma\",2024-01-02T00:00:00.0000000+00:00,false\r\n" +
            "-3,1000,\"say \"\"hi\"\"\nbye\",,\r\n",
            csv);
    }

    [Fact]
    public void Written_csv_reads_back_to_the_same_texts()
    {
        var table = TypedTable.FromRows(["k", "text", "x"],
        [
            ["a", "\"quoted\"", "0.1"],
            ["b", "line\r\nbreak", "-2.5E-7"],
            ["a", " spaced ", "123456789.123"],
        ]);
        var cleaned = DatasetCleaner.Clean(table, CleaningOptions.Default).Cleaned;
        using var output = new MemoryStream();
        CleanedCsv.Write(cleaned, output);
        output.Position = 0;

        using var reader = new CsvRecordReader(output);
        Assert.Equal(cleaned.Columns.Select(c => c.Name), reader.ReadHeader());
        for (var row = 0; row < cleaned.RowCount; row++)
        {
            Assert.True(reader.ReadRecord());
            for (var c = 0; c < cleaned.Columns.Count; c++) Assert.Equal(cleaned.Columns[c].GetText(row), reader.GetFieldString(c));
        }
        Assert.False(reader.ReadRecord());
    }

    [Fact]
    public void Empty_value_of_a_single_column_table_is_written_as_an_empty_quoted_field()
    {
        var table = new TypedTable([Column.Strings("only", ["a", null, ""], [false, true, false])], 3);

        Assert.Equal("only\r\na\r\n\"\"\r\n\"\"\r\n", Write(table));
    }

    [Fact]
    public void Output_has_no_byte_order_mark_and_the_stream_stays_open()
    {
        var table = TypedTable.FromRows(["é"], [["ü"]]);
        using var output = new MemoryStream();

        CleanedCsv.Write(table, output);

        Assert.Equal(Encoding.UTF8.GetBytes("é\r\nü\r\n"), output.ToArray());
        Assert.True(output.CanWrite);
    }
}
