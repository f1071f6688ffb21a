using System.Text;
using Vigil.Tabular.Parsing;
using Vigil.Tabular.Tables;
using Vigil.Validation.UnitTests.Parsing;
using static Vigil.Validation.UnitTests.Tables.TableTestData;

namespace Vigil.Validation.UnitTests.Tables;

public sealed class TableReaderJsonTests
{
    private const string Json = "application/json";
    private const string Ndjson = "application/x-ndjson";

    [Theory]
    [InlineData(Json, """[{"id": 1, "amount": 2.5, "ok": true}, {"id": 2, "amount": 3, "ok": false}]""")]
    [InlineData(Ndjson, "{\"id\": 1, \"amount\": 2.5, \"ok\": true}\n{\"id\": 2, \"amount\": 3, \"ok\": false}\n")]
    public void Json_numbers_and_booleans_make_typed_columns(string mediaType, string text)
    {
        var table = Read(text, mediaType);

        Assert.Equal(2, table.RowCount);
        Assert.Equal([ColumnType.Integer, ColumnType.Decimal, ColumnType.Boolean], table.Columns.Select(c => c.Type));
        Assert.Equal(3.0, table["amount"].GetDouble(1));
        Assert.False(table["ok"].GetBoolean(1));
    }

    [Theory]
    [InlineData(Json, """[{"a": 1}, {"b": "x", "a": 2}, {"c": null}]""")]
    [InlineData(Ndjson, "{\"a\": 1}\n{\"b\": \"x\", \"a\": 2}\n{\"c\": null}")]
    public void Columns_come_in_order_of_first_appearance_and_missing_keys_are_null(string mediaType, string text)
    {
        var table = Read(text, mediaType);

        Assert.Equal(["a", "b", "c"], table.Columns.Select(c => c.Name));
        Assert.Equal([false, false, true], table["a"].NullMask.ToArray());
        Assert.Equal([true, false, true], table["b"].NullMask.ToArray());
        Assert.Equal([true, true, true], table["c"].NullMask.ToArray());
        Assert.Equal(2, table["a"].GetInt64(1));
    }

    [Theory]
    [InlineData(Json, """[{"id": 1, "meta": {"k": [1, 2]}, "tags": ["a", "b"]}, {"id": 2, "meta": {}, "tags": []}]""")]
    [InlineData(Ndjson, "{\"id\": 1, \"meta\": {\"k\": [1, 2]}, \"tags\": [\"a\", \"b\"]}\n{\"id\": 2, \"meta\": {}, \"tags\": []}\n")]
    public void Nested_objects_and_arrays_are_kept_as_their_json_text(string mediaType, string text)
    {
        var table = Read(text, mediaType);

        Assert.Equal(ColumnType.String, table["meta"].Type);
        Assert.Equal("""{"k": [1, 2]}""", table["meta"].GetString(0));
        Assert.Equal("{}", table["meta"].GetString(1));
        Assert.Equal("""["a", "b"]""", table["tags"].GetString(0));
    }

    [Fact]
    public void Json_strings_go_through_the_same_inference_as_csv_text()
    {
        var table = Read("""[{"n": "12", "d": "2024-01-15", "s": ""}, {"n": 13, "d": "2024-01-16T08:00:00Z", "s": "NA"}]""", Json);

        Assert.Equal(ColumnType.Integer, table["n"].Type);
        Assert.Equal(12, table["n"].GetInt64(0));
        Assert.Equal(ColumnType.Timestamp, table["d"].Type);
        Assert.Equal(2, table["s"].NullCount);
    }

    [Fact]
    public void Escaped_keys_and_strings_are_unescaped()
    {
        var table = Read("""[{"na\u006De": "a\"b\\c\u00e9", "x": "\ud83d\ude00"}]""", Json);

        Assert.Equal("a\"b\\cé", table["name"].GetString(0));
        Assert.Equal("😀", table["x"].GetString(0));
    }

    [Fact]
    public void An_empty_array_gives_a_table_of_no_columns_and_no_rows()
    {
        var table = Read(" [ ] ", Json);

        Assert.Equal(0, table.RowCount);
        Assert.Empty(table.Columns);
    }

    [Theory]
    [InlineData(Json)]
    [InlineData(Ndjson)]
    public void A_byte_order_mark_is_skipped(string mediaType)
    {
        var body = mediaType == Json ? """[{"a": 1}]""" : """{"a": 1}""";

        var table = ReadBytes([.. Csv.Bom, .. Encoding.UTF8.GetBytes(body)], mediaType);

        Assert.Equal(1, table["a"].GetInt64(0));
    }

    [Fact]
    public void Ndjson_skips_blank_lines_and_takes_crlf()
    {
        var table = Read("{\"a\": 1}\r\n\r\n   \n{\"a\": 2}\r\n", Ndjson);

        Assert.Equal(2, table.RowCount);
        Assert.Equal([1L, 2L], table["a"].Int64Values.ToArray());
    }

    [Theory]
    [InlineData(Json)]
    [InlineData(Ndjson)]
    public void Records_longer_than_the_read_buffer_and_split_reads_are_read_whole(string mediaType)
    {
        var big = new string('x', 200_000);
        var records = Enumerable.Range(0, 300).Select(i => $"{{\"id\": {i}, \"text\": \"{(i == 150 ? big : "é" + i)}\", \"n\": {i * 0.5}}}");
        var text = mediaType == Json ? "[" + string.Join(",\n", records) + "]" : string.Join("\n", records);

        var table = TableReader.Read(new TrickleStream(Encoding.UTF8.GetBytes(text)), mediaType);

        Assert.Equal(300, table.RowCount);
        Assert.Equal(big, table["text"].GetString(150));
        Assert.Equal("é299", table["text"].GetString(299));
        Assert.Equal(149.5, table["n"].GetDouble(299));
    }

    [Theory]
    [InlineData(Json)]
    [InlineData(Ndjson)]
    public void Records_built_on_worker_threads_with_a_key_first_seen_late_give_the_same_table_as_built_on_one(string mediaType)
    {
        var records = Enumerable.Range(0, 3000).Select(i =>
            $"{{\"id\": {i}, \"amount\": {(i % 7 == 0 ? "null" : (i * 0.25).ToString(System.Globalization.CultureInfo.InvariantCulture))}, \"tag\": \"t{i % 5}\""
            + (i >= 2000 ? $", \"late\": {{\"n\": {i}}}" : "") + "}");
        var text = mediaType == Json ? "[" + string.Join(",", records) + "]" : string.Join("\n", records);
        var bytes = Encoding.UTF8.GetBytes(text);

        var inline = TableReader.Read(new ForwardOnlyStream(bytes), mediaType, null, workers: 0, blockChars: 1 << 20);
        var parallel = TableReader.Read(new TrickleStream(bytes), mediaType, null, workers: 3, blockChars: 64);

        Assert.Equal(["id", "amount", "tag", "late"], parallel.Columns.Select(c => c.Name));
        Assert.Equal(2000, parallel["late"].NullCount);
        Assert.Equal("{\"n\": 2999}", parallel["late"].GetString(2999));
        AssertSameTable(inline, parallel);
    }

    // Bad input

    [Theory]
    [InlineData(Json, "")]
    [InlineData(Json, " \r\n\t")]
    [InlineData(Ndjson, "")]
    [InlineData(Ndjson, "\n\n  \n")]
    public void An_empty_batch_is_rejected(string mediaType, string text)
    {
        var error = Assert.Throws<BatchFormatException>(() => Read(text, mediaType));

        Assert.Equal("The batch is empty.", error.Message);
    }

    [Fact]
    public void A_single_object_instead_of_an_array_is_rejected_with_a_hint()
    {
        var error = Assert.Throws<BatchFormatException>(() => Read("""{"a": 1}""", Json));

        Assert.Equal(
            "The batch is a single JSON object, not an array of objects; send [ {...}, {...} ], or one object per line as application/x-ndjson.",
            error.Message);
    }

    [Fact]
    public void A_json_scalar_instead_of_an_array_is_rejected()
    {
        var error = Assert.Throws<BatchFormatException>(() => Read("42", Json));

        Assert.Equal("The batch is a JSON number, not an array of objects.", error.Message);
    }

    [Theory]
    [InlineData("""[{"a": 1}, 2]""", "Record 2 is a JSON number, not an object.")]
    [InlineData("""[{"a": 1}, {"a": 2}, [3]]""", "Record 3 is a JSON array, not an object.")]
    [InlineData("""["x"]""", "Record 1 is a JSON string, not an object.")]
    [InlineData("""[null]""", "Record 1 is a JSON null, not an object.")]
    public void A_record_that_is_not_an_object_is_rejected_naming_it(string text, string message)
    {
        var error = Assert.Throws<BatchFormatException>(() => Read(text, Json));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_line_that_is_not_an_object_is_rejected_naming_it()
    {
        var error = Assert.Throws<BatchFormatException>(() => Read("{\"a\": 1}\n\n[1, 2]\n", Ndjson));

        Assert.Equal("Line 3 is a JSON array, not an object.", error.Message);
    }

    [Fact]
    public void Invalid_json_in_an_array_is_rejected_with_line_and_byte()
    {
        var error = Assert.Throws<BatchFormatException>(() => Read("[\n  {\"a\": 1},\n  {\"a\": }\n]", Json));

        Assert.Equal("The batch is not valid JSON at line 3, byte 9: '}' is an invalid start of a value.", error.Message);
    }

    [Fact]
    public void A_json_array_cut_off_is_rejected()
    {
        var error = Assert.Throws<BatchFormatException>(() => Read("[{\"a\": 1}, {\"a\": 2", Json));

        Assert.StartsWith("The batch is not valid JSON at line 1, byte ", error.Message);
    }

    [Fact]
    public void Content_after_the_array_is_rejected()
    {
        var error = Assert.Throws<BatchFormatException>(() => Read("[{\"a\": 1}] {\"a\": 2}", Json));

        Assert.StartsWith("The batch is not valid JSON at line 1, byte 12: ", error.Message);
    }

    [Fact]
    public void Invalid_json_on_a_line_is_rejected_with_the_line_number()
    {
        var error = Assert.Throws<BatchFormatException>(() => Read("{\"a\": 1}\n{\"a\": 2}\n{\"a\": }\n", Ndjson));

        Assert.Equal("Line 3 is not valid JSON at byte 7: '}' is an invalid start of a value.", error.Message);
    }

    [Fact]
    public void Two_values_on_one_line_are_rejected()
    {
        var error = Assert.Throws<BatchFormatException>(() => Read("{\"a\": 1} {\"a\": 2}\n", Ndjson));

        Assert.StartsWith("Line 1 is not valid JSON at byte 10: ", error.Message);
    }

    [Theory]
    [InlineData(Json, "Record 2 is not valid UTF-8.")]
    [InlineData(Ndjson, "Line 2 is not valid UTF-8.")]
    public void Bytes_that_are_not_utf8_are_rejected_naming_the_record(string mediaType, string message)
    {
        byte[] bytes = mediaType == Json
            ? [.. "[{\"a\": \"x\"}, {\"a\": \""u8, 0xC3, 0x28, .. "\"}]"u8]
            : [.. "{\"a\": \"x\"}\n{\"a\": \""u8, 0xC3, 0x28, .. "\"}\n"u8];

        var error = Assert.Throws<BatchFormatException>(() => ReadBytes(bytes, mediaType));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData(Json, """[{"a": "x"}, {"a": "\ud800"}]""", "Record 2 ")]
    [InlineData(Ndjson, "{\"a\": \"x\"}\n{\"\\udc00\": 1}", "Line 2 ")]
    public void An_escape_that_is_half_a_surrogate_pair_is_rejected_naming_the_record(string mediaType, string text, string start)
    {
        var error = Assert.Throws<BatchFormatException>(() => Read(text, mediaType));

        Assert.StartsWith(start + "has a string that is not valid text: ", error.Message);
    }

    [Theory]
    [InlineData(Json, """[{"a": 1}, {"a": 2, "b": 3, "a": 4}]""", "Record 2 has the key 'a' more than once.")]
    [InlineData(Ndjson, "{\"a\": 1}\n{\"a\": 2, \"a\": 4}", "Line 2 has the key 'a' more than once.")]
    [InlineData(Json, """[{"a": 1, " ": 2}]""", "Record 1 has a key with no name.")]
    public void A_repeated_or_blank_key_is_rejected_naming_the_record(string mediaType, string text, string message)
    {
        var error = Assert.Throws<BatchFormatException>(() => Read(text, mediaType));

        Assert.Equal(message, error.Message);
    }
}
