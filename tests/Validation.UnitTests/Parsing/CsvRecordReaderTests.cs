using Vigil.Tabular.Parsing;

namespace Vigil.Validation.UnitTests.Parsing;

public sealed class CsvRecordReaderTests
{
    // Header

    [Fact]
    public void Header_gives_the_column_names_in_order()
    {
        using var reader = new CsvRecordReader(Csv.From("id,name,amount\n1,a,2\n"));

        Assert.Equal(["id", "name", "amount"], reader.ReadHeader());
        Assert.Equal(0, reader.RowNumber);
        Assert.Equal(1, reader.LineNumber);
    }

    [Fact]
    public void Empty_batch_is_rejected()
    {
        using var reader = new CsvRecordReader(Csv.FromBytes());

        var error = Assert.Throws<CsvFormatException>(() => reader.ReadHeader());

        Assert.Equal("The batch is empty", error.Message);
        Assert.Equal(0, error.RowNumber);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n\r\n\n")]
    [InlineData("\r")]
    [InlineData("   ")]
    [InlineData("  \t \n \r\n\t\n")]
    public void Batch_of_only_whitespace_and_line_breaks_is_rejected_as_empty(string text)
    {
        using var reader = new CsvRecordReader(Csv.From(text));

        var error = Assert.Throws<CsvFormatException>(() => reader.ReadHeader());

        Assert.Equal("The batch is empty", error.Message);
    }

    [Fact]
    public void Batch_of_only_a_byte_order_mark_is_rejected_as_empty()
    {
        using var reader = new CsvRecordReader(Csv.FromBytes(Csv.Bom, Csv.Utf8("\r\n")));

        var error = Assert.Throws<CsvFormatException>(() => reader.ReadHeader());

        Assert.Equal("The batch is empty", error.Message);
    }

    [Fact]
    public void Blank_header_line_followed_by_data_is_a_nameless_column_not_an_empty_batch()
    {
        using var reader = new CsvRecordReader(Csv.From("  \n1\n"));

        var error = Assert.Throws<CsvFormatException>(() => reader.ReadHeader());

        Assert.Equal("Column 1 has no name", error.Message);
    }

    [Theory]
    [InlineData("id,,amount\n", "Column 2 has no name")]
    [InlineData("id,name, \n", "Column 3 has no name")]
    [InlineData("\"\",name\n", "Column 1 has no name")]
    [InlineData("id,name,\n", "Column 3 has no name")]
    public void Blank_column_name_is_rejected(string text, string message)
    {
        using var reader = new CsvRecordReader(Csv.From(text));

        var error = Assert.Throws<CsvFormatException>(() => reader.ReadHeader());

        Assert.Equal(message, error.Message);
        Assert.Equal(0, error.RowNumber);
        Assert.Equal(1, error.LineNumber);
    }

    [Fact]
    public void Duplicate_column_name_is_rejected()
    {
        using var reader = new CsvRecordReader(Csv.From("id,name,id\n1,a,2\n"));

        var error = Assert.Throws<CsvFormatException>(() => reader.ReadHeader());

        Assert.Equal("Column 'id' appears twice", error.Message);
    }

    [Fact]
    public void Column_names_are_not_trimmed_so_names_differing_in_spaces_are_distinct()
    {
        using var reader = new CsvRecordReader(Csv.From(" id,id \n1,2\n"));

        Assert.Equal([" id", "id "], reader.ReadHeader());
    }

    [Fact]
    public void Empty_lines_before_the_header_are_skipped()
    {
        using var reader = new CsvRecordReader(Csv.From("\n\r\nid\n1\n"));

        Assert.Equal(["id"], reader.ReadHeader());
        Assert.Equal(3, reader.LineNumber);
    }

    [Fact]
    public void Utf8_byte_order_mark_is_skipped()
    {
        var rows = Csv.ReadAll(Csv.FromBytes(Csv.Bom, Csv.Utf8("id,name\n1,\uFEFFx\n")));

        Assert.Equal("id", rows[0][0]);
        // Only the mark at the very start is a BOM; later U+FEFF characters are data.
        Assert.Equal("\uFEFFx", rows[1][1]);
    }

    // Records

    [Fact]
    public void Records_are_read_in_order_with_row_and_line_numbers()
    {
        using var reader = new CsvRecordReader(Csv.From("id,name\n1,alpha\n2,beta\n"));
        reader.ReadHeader();

        Assert.True(reader.ReadRecord());
        Assert.Equal(2, reader.FieldCount);
        Assert.Equal("1", reader.GetField(0).ToString());
        Assert.Equal("alpha", reader.GetFieldString(1));
        Assert.Equal(1, reader.RowNumber);
        Assert.Equal(2, reader.LineNumber);

        Assert.True(reader.ReadRecord());
        Assert.Equal(["2", "beta"], Csv.Fields(reader));
        Assert.Equal(2, reader.RowNumber);
        Assert.Equal(3, reader.LineNumber);

        Assert.False(reader.ReadRecord());
        Assert.Equal(0, reader.FieldCount);
        Assert.False(reader.ReadRecord());
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    [InlineData("\r")]
    public void Crlf_lf_and_lone_cr_all_end_a_record(string lineBreak)
    {
        var text = string.Join(lineBreak, "a,b", "1,2", "3,4") + lineBreak;
        using var reader = new CsvRecordReader(Csv.From(text));
        reader.ReadHeader();

        Assert.True(reader.ReadRecord());
        Assert.Equal(["1", "2"], Csv.Fields(reader));
        Assert.True(reader.ReadRecord());
        Assert.Equal(["3", "4"], Csv.Fields(reader));
        Assert.Equal(3, reader.LineNumber);
        Assert.False(reader.ReadRecord());
    }

    [Fact]
    public void Mixed_line_endings_in_one_batch_are_each_one_line_break()
    {
        using var reader = new CsvRecordReader(Csv.From("a\r\n1\r2\n3\r\n4"));
        reader.ReadHeader();

        var values = new List<(string Value, long Line)>();
        while (reader.ReadRecord())
        {
            values.Add((reader.GetFieldString(0), reader.LineNumber));
        }

        Assert.Equal([("1", 2L), ("2", 3L), ("3", 4L), ("4", 5L)], values);
    }

    [Fact]
    public void Quoted_field_may_contain_newlines_and_delimiters()
    {
        var rows = Csv.ReadAll(Csv.From("id,note,n\n1,\"first line\nsecond, with comma\r\nthird\",7\n2,\"a,b\",8\n"));

        Assert.Equal(["1", "first line\nsecond, with comma\r\nthird", "7"], rows[1]);
        Assert.Equal(["2", "a,b", "8"], rows[2]);
    }

    [Fact]
    public void Line_numbers_count_line_breaks_inside_quoted_fields()
    {
        using var reader = new CsvRecordReader(Csv.From("id,note\n1,\"x\ny\r\nz\rw\"\n2,b\n"));
        reader.ReadHeader();

        Assert.True(reader.ReadRecord());
        Assert.Equal(2, reader.LineNumber);
        Assert.Equal("x\ny\r\nz\rw", reader.GetFieldString(1));
        Assert.True(reader.ReadRecord());
        Assert.Equal(2, reader.RowNumber);
        Assert.Equal(6, reader.LineNumber);
    }

    [Fact]
    public void Doubled_quote_inside_a_quoted_field_reads_as_one_quote()
    {
        var rows = Csv.ReadAll(Csv.From("a,b,c\n\"say \"\"hi\"\"\",\"\"\"\",\"\"\n"));

        Assert.Equal(["say \"hi\"", "\"", ""], rows[1]);
    }

    [Fact]
    public void Quote_inside_an_unquoted_field_is_an_ordinary_character()
    {
        var rows = Csv.ReadAll(Csv.From("height,name\n5'10\",ab\"c\n"));

        Assert.Equal(["5'10\"", "ab\"c"], rows[1]);
    }

    [Fact]
    public void Quoted_field_at_end_of_input_without_line_break_is_complete()
    {
        var rows = Csv.ReadAll(Csv.From("a,b\n1,\"x\""));

        Assert.Equal(["1", "x"], rows[1]);
    }

    [Fact]
    public void Trailing_newline_at_end_of_input_does_not_create_an_empty_record()
    {
        var rows = Csv.ReadAll(Csv.From("a,b\r\n1,2\r\n"));

        Assert.Equal(2, rows.Count);
    }

    [Fact]
    public void Empty_lines_between_records_are_skipped_but_still_counted_as_lines()
    {
        using var reader = new CsvRecordReader(Csv.From("a,b\n\n1,2\r\n\r\n\r\n3,4\n\n\n"));
        reader.ReadHeader();

        Assert.True(reader.ReadRecord());
        Assert.Equal((1L, 3L), (reader.RowNumber, reader.LineNumber));
        Assert.True(reader.ReadRecord());
        Assert.Equal(["3", "4"], Csv.Fields(reader));
        Assert.Equal((2L, 6L), (reader.RowNumber, reader.LineNumber));
        Assert.False(reader.ReadRecord());
    }

    [Fact]
    public void Whitespace_in_fields_is_preserved()
    {
        var rows = Csv.ReadAll(Csv.From("a,b,c\n  1 ,\t2\t,\" 3 \"\n"));

        Assert.Equal(["  1 ", "\t2\t", " 3 "], rows[1]);
    }

    [Fact]
    public void Line_of_spaces_in_a_single_column_batch_is_a_record_not_an_empty_line()
    {
        var rows = Csv.ReadAll(Csv.From("name\n   \nx\n"));

        Assert.Equal([["name"], ["   "], ["x"]], rows);
    }

    [Fact]
    public void Empty_fields_are_read_as_empty_including_a_trailing_one_at_end_of_input()
    {
        var rows = Csv.ReadAll(Csv.From("a,b,c\n,,\n1,,\n,2,"));

        Assert.Equal(["", "", ""], rows[1]);
        Assert.Equal(["1", "", ""], rows[2]);
        Assert.Equal(["", "2", ""], rows[3]);
    }

    [Fact]
    public void Multibyte_characters_are_decoded()
    {
        var rows = Csv.ReadAll(Csv.From("name,city\nJosé,Zürich €\n😀,東京\n"));

        Assert.Equal(["José", "Zürich €"], rows[1]);
        Assert.Equal(["😀", "東京"], rows[2]);
    }

    [Fact]
    public void Field_longer_than_the_read_buffer_is_read_whole()
    {
        var longValue = new string('x', 300_000);
        var quoted = string.Concat(Enumerable.Repeat("a\"\"b,\n", 50_000));

        var rows = Csv.ReadAll(Csv.From($"a,b\n{longValue},\"{quoted}\"\n"));

        Assert.Equal(longValue, rows[1][0]);
        Assert.Equal(quoted.Replace("\"\"", "\""), rows[1][1]);
    }

    [Fact]
    public void Semicolon_delimiter_splits_fields_and_leaves_commas_in_values()
    {
        var options = new CsvOptions { Delimiter = ';' };

        var rows = Csv.ReadAll(Csv.From("id;amount;note\n1;3,50;\"a;b\"\n"), options);

        Assert.Equal(["id", "amount", "note"], rows[0]);
        Assert.Equal(["1", "3,50", "a;b"], rows[1]);
    }

    [Fact]
    public void Tab_delimiter_is_supported()
    {
        var rows = Csv.ReadAll(Csv.From("a\tb\n1 2\t3,4\n"), new CsvOptions { Delimiter = '\t' });

        Assert.Equal(["1 2", "3,4"], rows[1]);
    }

    // Malformed rows

    [Fact]
    public void Row_with_fewer_fields_than_the_header_is_rejected_with_its_row_and_line()
    {
        using var reader = new CsvRecordReader(Csv.From("a,b,c,d,e\n1,2,3,4,5\n\n1,2,3,4\n"));
        reader.ReadHeader();
        Assert.True(reader.ReadRecord());

        var error = Assert.Throws<CsvFormatException>(() => reader.ReadRecord());

        Assert.Equal("Row 2 has 4 fields but the header has 5", error.Message);
        Assert.Equal(2, error.RowNumber);
        Assert.Equal(4, error.LineNumber);
    }

    [Fact]
    public void Row_with_more_fields_than_the_header_is_rejected_with_the_full_count()
    {
        using var reader = new CsvRecordReader(Csv.From("a,b\n1,2,3,\"4\",5,\n"));
        reader.ReadHeader();

        var error = Assert.Throws<CsvFormatException>(() => reader.ReadRecord());

        Assert.Equal("Row 1 has 6 fields but the header has 2", error.Message);
    }

    [Fact]
    public void Reader_goes_on_with_the_next_row_after_a_field_count_error()
    {
        using var reader = new CsvRecordReader(Csv.From("a,b\n1\n2,3\n"));
        reader.ReadHeader();

        Assert.Throws<CsvFormatException>(() => reader.ReadRecord());
        Assert.Equal(0, reader.FieldCount);

        Assert.True(reader.ReadRecord());
        Assert.Equal(["2", "3"], Csv.Fields(reader));
        Assert.Equal(2, reader.RowNumber);
    }

    [Fact]
    public void Unterminated_quoted_field_is_rejected_with_the_row_and_its_first_line()
    {
        var text = "a,b\n1,2\n\n2,\"x\ny\n" + string.Concat(Enumerable.Repeat("more\n", 8));
        using var reader = new CsvRecordReader(Csv.From(text));
        reader.ReadHeader();
        Assert.True(reader.ReadRecord());

        var error = Assert.Throws<CsvFormatException>(() => reader.ReadRecord());

        Assert.Equal("Row 2 starting at line 4 has an unterminated quoted field", error.Message);
        Assert.Equal(2, error.RowNumber);
        Assert.Equal(4, error.LineNumber);
    }

    [Fact]
    public void Unterminated_quoted_field_in_the_header_is_rejected()
    {
        using var reader = new CsvRecordReader(Csv.From("a,\"b\n"));

        var error = Assert.Throws<CsvFormatException>(() => reader.ReadHeader());

        Assert.Equal("The header row starting at line 1 has an unterminated quoted field", error.Message);
    }

    [Theory]
    [InlineData("a,b\n\"ab\"c,1\n")]
    [InlineData("a,b\n1,\"ab\" \n")]
    [InlineData("a,b\n1,\"ab\"\"\"x\n")]
    public void Characters_after_a_closing_quote_are_rejected(string text)
    {
        using var reader = new CsvRecordReader(Csv.From(text));
        reader.ReadHeader();

        var error = Assert.Throws<CsvFormatException>(() => reader.ReadRecord());

        Assert.StartsWith("Row 1 starting at line 2 has characters after the closing quote of field", error.Message);
        Assert.Equal(1, error.RowNumber);
        Assert.Equal(2, error.LineNumber);
    }

    [Fact]
    public void Characters_after_a_closing_quote_name_the_field_and_the_line_they_are_on()
    {
        using var reader = new CsvRecordReader(Csv.From("a,b,c\n1,2,\"x\ny\"z\n"));
        reader.ReadHeader();

        var error = Assert.Throws<CsvFormatException>(() => reader.ReadRecord());

        Assert.Equal("Row 1 starting at line 2 has characters after the closing quote of field 3 (line 3)", error.Message);
        Assert.Equal(3, error.LineNumber);
    }

    [Theory]
    [InlineData("a,b\n1,abcdefghij\n")]
    [InlineData("a,b\n1,\"abcdefghi\"\"\"\n")]
    public void Field_of_exactly_MaxFieldLength_is_accepted(string text)
    {
        var rows = Csv.ReadAll(Csv.From(text), new CsvOptions { MaxFieldLength = 10 });

        Assert.Equal(10, rows[1][1].Length);
    }

    [Theory]
    [InlineData("a,b\n1,abcdefghijk\n")]
    [InlineData("a,b\n1,\"abcdefghij\"\"\"\n")]
    public void Field_longer_than_MaxFieldLength_is_rejected(string text)
    {
        using var reader = new CsvRecordReader(Csv.From(text), new CsvOptions { MaxFieldLength = 10 });
        reader.ReadHeader();

        var error = Assert.Throws<CsvFormatException>(() => reader.ReadRecord());

        Assert.StartsWith("Row 1 starting at line 2 has field 2 longer than the limit of 10 characters", error.Message);
    }

    [Fact]
    public void Quote_left_open_stops_at_the_field_limit_instead_of_reading_the_rest_of_the_batch()
    {
        using var broken = new CsvRecordReader(
            Csv.FromBytes(Csv.Utf8("a\n\""), Csv.Utf8(string.Concat(Enumerable.Repeat("x,y\n", 5_000)))),
            new CsvOptions { MaxFieldLength = 1000 });
        broken.ReadHeader();

        var error = Assert.Throws<CsvFormatException>(() => broken.ReadRecord());

        Assert.Contains("longer than the limit of 1000 characters; is a quote left open?", error.Message);
    }

    [Fact]
    public void Invalid_utf8_is_rejected_with_the_row_that_holds_it()
    {
        var stream = Csv.FromBytes(Csv.Utf8("id,name\n1,ok\n2,fine\n3,b"), [0xC3, 0x28], Csv.Utf8("d\n4,x\n"));
        using var reader = new CsvRecordReader(stream);
        reader.ReadHeader();
        Assert.True(reader.ReadRecord());
        Assert.True(reader.ReadRecord());

        var error = Assert.Throws<CsvFormatException>(() => reader.ReadRecord());

        Assert.Equal("The batch is not valid UTF-8 (row 3)", error.Message);
        Assert.Equal(3, error.RowNumber);
        Assert.Equal(4, error.LineNumber);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xE2, 0x82 })]
    public void Invalid_or_truncated_utf8_sequences_are_rejected(byte[] bad)
    {
        var stream = Csv.FromBytes(Csv.Utf8("a\n"), bad);
        using var reader = new CsvRecordReader(stream);
        reader.ReadHeader();

        var error = Assert.Throws<CsvFormatException>(() => reader.ReadRecord());

        Assert.Equal("The batch is not valid UTF-8 (row 1)", error.Message);
    }

    [Fact]
    public void Invalid_utf8_in_the_header_names_the_header_row()
    {
        using var reader = new CsvRecordReader(Csv.FromBytes(Csv.Utf8("id,na"), [0xFE], Csv.Utf8("me\n")));

        var error = Assert.Throws<CsvFormatException>(() => reader.ReadHeader());

        Assert.Equal("The batch is not valid UTF-8 (header row)", error.Message);
        Assert.Equal(0, error.RowNumber);
    }

    [Fact]
    public void Reader_refuses_to_go_on_after_a_malformed_row()
    {
        using var reader = new CsvRecordReader(Csv.From("a\n\"x\"y\n2\n"));
        reader.ReadHeader();
        Assert.Throws<CsvFormatException>(() => reader.ReadRecord());

        Assert.Throws<InvalidOperationException>(() => reader.ReadRecord());
    }

    // Streaming

    [Fact]
    public void Reader_reads_the_stream_incrementally_rather_than_all_at_once()
    {
        var stream = new EndlessCsvStream();
        using var reader = new CsvRecordReader(stream);
        reader.ReadHeader();

        for (var i = 1; i <= 10_000; i++)
        {
            Assert.True(reader.ReadRecord());
        }

        Assert.Equal("10000", reader.GetFieldString(0));
        Assert.Equal("name 10000", reader.GetFieldString(1));
        // 10,000 rows are about 300 KB; the reader may be at most one read buffer ahead of them.
        Assert.InRange(stream.BytesServed, 250_000, 400_000);
    }

    public static TheoryData<string> ChunkingSamples => new()
    {
        "id,name\n1,alpha\n2,beta",
        "id,name\r\n1,\"multi\r\nline\"\r\n2,\"q\"\"uote\"\r\n",
        "\uFEFFid,city\r1,Zürich\r2,東京 😀\r\r",
        "a,b,c\n,,\n\n\n\"\",\"\"\"\",x\n",
        "a,b\n1,\"unterminated\n",
        "a,b\n1,\"ab\"c\n",
        "a,b\n1,2,3\n",
        "id,id\n",
        "\r\n\r\n",
    };

    [Theory]
    [MemberData(nameof(ChunkingSamples))]
    public void Stream_read_in_tiny_chunks_gives_identical_results(string text)
    {
        var whole = Outcome(Csv.From(text));

        for (var seed = 0; seed < 5; seed++)
        {
            Assert.Equal(whole, Outcome(new TrickleStream(Csv.Utf8(text), seed)));
        }
    }

    [Fact]
    public void Stream_read_in_tiny_chunks_reports_invalid_utf8_at_the_same_row()
    {
        byte[] bytes = [.. Csv.Utf8("a,b\n1,é\n2,"), 0xE2, 0x82, .. Csv.Utf8(",x\n")];

        Assert.Equal(Outcome(Csv.FromBytes(bytes)), Outcome(new TrickleStream(bytes)));
        Assert.Contains("(row 2)", Outcome(new TrickleStream(bytes)));
    }

    /// <summary>Everything a read produces, the error included, as one comparable string.</summary>
    private static string Outcome(Stream stream)
    {
        using var reader = new CsvRecordReader(stream);
        var lines = new List<string>();
        try
        {
            lines.Add($"header@{reader.LineNumber}:{string.Join("|", reader.ReadHeader())}");
            while (reader.ReadRecord())
            {
                lines.Add($"{reader.RowNumber}@{reader.LineNumber}:{string.Join("|", Csv.Fields(reader))}");
            }
        }
        catch (CsvFormatException error)
        {
            lines.Add($"error {error.RowNumber}@{error.LineNumber}: {error.Message}");
        }

        return string.Join("\n", lines);
    }

    // Usage

    [Theory]
    [InlineData('"')]
    [InlineData('\r')]
    [InlineData('\n')]
    public void Delimiter_that_has_its_own_meaning_in_csv_is_refused(char delimiter)
    {
        var options = new CsvOptions { Delimiter = delimiter };

        Assert.Throws<ArgumentException>(() => new CsvRecordReader(Csv.From("a"), options));
    }

    [Fact]
    public void Non_positive_MaxFieldLength_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new CsvRecordReader(Csv.From("a"), new CsvOptions { MaxFieldLength = 0 }));
    }

    [Fact]
    public void ReadRecord_before_ReadHeader_is_refused()
    {
        using var reader = new CsvRecordReader(Csv.From("a\n1\n"));

        Assert.Throws<InvalidOperationException>(() => reader.ReadRecord());
    }

    [Fact]
    public void Header_cannot_be_read_twice()
    {
        using var reader = new CsvRecordReader(Csv.From("a\n1\n"));
        reader.ReadHeader();

        Assert.Throws<InvalidOperationException>(() => reader.ReadHeader());
    }

    [Fact]
    public void Field_index_outside_the_record_is_refused()
    {
        using var reader = new CsvRecordReader(Csv.From("a,b\n1,2\n"));
        reader.ReadHeader();
        reader.ReadRecord();

        Assert.Throws<ArgumentOutOfRangeException>(() => reader.GetField(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.GetField(-1));
    }

    [Fact]
    public void Disposing_the_reader_leaves_the_stream_to_its_owner()
    {
        var stream = new ForwardOnlyStream(Csv.Utf8("a\n1\n"));
        var reader = new CsvRecordReader(stream);
        reader.ReadHeader();

        reader.Dispose();

        Assert.False(stream.Disposed);
        Assert.Throws<ObjectDisposedException>(() => reader.ReadRecord());
    }
}
