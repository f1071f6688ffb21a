using System.Text;
using Vigil.Tabular.Parsing;

namespace Vigil.Validation.UnitTests.Parsing;

public sealed class CsvBatchSummaryTests
{
    [Fact]
    public void Generated_100000_row_batch_summarises_to_its_columns_and_row_count()
    {
        var csv = new StringBuilder("id,customer,amount,note\r\n");
        for (var i = 1; i <= 100_000; i++)
        {
            // Every 7th row has a quoted note spanning lines, every 11th is followed by an empty line.
            var note = i % 7 == 0 ? $"\"line one\nline \"\"two\"\", {i}\"" : $"note {i}";
            csv.Append(i).Append(",cust-").Append(i % 97).Append(',').Append(i * 1.5).Append(',').Append(note).Append("\r\n");
            if (i % 11 == 0)
            {
                csv.Append("\r\n");
            }
        }

        var (columns, rows) = CsvBatchSummary.Summarize(Csv.From(csv.ToString()));

        Assert.Equal(["id", "customer", "amount", "note"], columns);
        Assert.Equal(100_000, rows);
    }

    [Fact]
    public void Header_only_batch_summarises_to_zero_rows()
    {
        var (columns, rows) = CsvBatchSummary.Summarize(Csv.From("id;name\n\n"), new CsvOptions { Delimiter = ';' });

        Assert.Equal(["id", "name"], columns);
        Assert.Equal(0, rows);
    }

    [Fact]
    public void Summary_of_an_empty_batch_is_rejected()
    {
        var error = Assert.Throws<CsvFormatException>(() => CsvBatchSummary.Summarize(Csv.From("")));

        Assert.Equal("The batch is empty", error.Message);
    }

    [Fact]
    public void Summary_rejects_a_ragged_row_anywhere_in_the_batch()
    {
        var csv = "a,b\n" + string.Concat(Enumerable.Range(1, 500).Select(i => $"{i},x\n")) + "501\n502,y\n";

        var error = Assert.Throws<CsvFormatException>(() => CsvBatchSummary.Summarize(Csv.From(csv)));

        Assert.Equal("Row 501 has 1 field but the header has 2", error.Message);
        Assert.Equal(502, error.LineNumber);
    }

    [Fact]
    public void Summary_of_a_stream_read_in_tiny_chunks_matches_the_whole_stream()
    {
        var csv = "k,v\r\n" + string.Concat(Enumerable.Range(1, 2_000).Select(i => $"{i},\"é\r\n{i}\"\r\n"));

        var whole = CsvBatchSummary.Summarize(Csv.From(csv));
        var trickled = CsvBatchSummary.Summarize(TrickleStream.From(csv));

        Assert.Equal(2_000, whole.RowCount);
        Assert.Equal(whole.RowCount, trickled.RowCount);
        Assert.Equal(whole.Columns, trickled.Columns);
    }
}
