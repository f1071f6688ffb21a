using System.Text;
using System.Text.Json;
using Vigil.Ingest.Events;

namespace Vigil.Ingest.UnitTests.Events;

public sealed class EventBodyParserTests
{
    private static readonly EventSchema Schema = EventSchema.FromDefinition(JsonDocument.Parse("""
        {"name": "banking.transactions", "keyColumns": ["transaction_id"], "entityColumn": "account_id", "timestampColumn": "booked_at",
         "expectedSchema": {"columns": [{"name": "amount", "type": "decimal", "nullable": false}, {"name": "note", "type": "string"}]}}
        """).RootElement);

    private static (IReadOnlyList<string>? Events, EventBodyError? Error) Parse(string body, string mediaType = EventBodyParser.JsonMediaType, int maxEvents = 100) =>
        EventBodyParser.Parse(Encoding.UTF8.GetBytes(body), mediaType, Schema, maxEvents);

    private const string Good = """{"transaction_id": "t-1", "account_id": "a-1", "booked_at": "2026-11-21T10:00:00Z", "amount": 12.5}""";

    [Fact]
    public void Schema_requires_keys_entity_timestamp_and_non_nullable_declared_columns()
    {
        Assert.Equal(["transaction_id", "amount", "account_id", "booked_at"], Schema.RequiredFields);
        Assert.Contains("amount", Schema.NumericFields);
        Assert.DoesNotContain("note", Schema.RequiredFields);
    }

    [Fact]
    public void One_object_an_array_and_ndjson_each_give_their_events()
    {
        Assert.Single(Parse(Good).Events!);
        Assert.Equal(2, Parse($"[{Good}, {Good}]").Events!.Count);
        var lines = Parse($"{Good}\n\n{Good}\r\n{Good}\n", EventBodyParser.NdjsonMediaType).Events!;
        Assert.Equal(3, lines.Count);
        Assert.Equal("t-1", JsonDocument.Parse(lines[2]).RootElement.GetProperty("transaction_id").GetString());
    }

    [Fact]
    public void Invalid_json_names_line_and_byte()
    {
        var error = Parse($"{Good}\n{{\"transaction_id\": \"t-2\",,}}", EventBodyParser.NdjsonMediaType).Error!;
        Assert.Equal((400, "Invalid JSON"), (error.Status, error.Title));
        Assert.StartsWith("The body is not valid JSON at line 2, byte", error.Detail);
    }

    [Fact]
    public void A_missing_or_null_required_field_names_the_event_and_field()
    {
        var missing = Parse($$"""[{{Good}}, {"transaction_id": "t-2", "account_id": "a-1", "amount": 3}]""").Error!;
        Assert.Equal("Missing required field", missing.Title);
        Assert.Equal("Event 2 lacks the required field 'booked_at'.", missing.Detail);

        var nulled = Parse($$"""{"transaction_id": null, "account_id": "a", "booked_at": "x", "amount": 1}""" + "\n", EventBodyParser.NdjsonMediaType).Error!;
        Assert.Equal("Event 1 (line 1) has null in the required field 'transaction_id'.", nulled.Detail);
    }

    [Fact]
    public void A_declared_number_sent_as_text_is_rejected()
    {
        var error = Parse("""{"transaction_id": "t", "account_id": "a", "booked_at": "x", "amount": "12"}""").Error!;
        Assert.Equal(("Wrong field type", "Event 1: 'amount' must be a number, not a JSON string."), (error.Title, error.Detail));
    }

    [Theory]
    [InlineData("", "Empty body")]
    [InlineData("  \n ", "Empty body")]
    [InlineData("[]", "No events")]
    [InlineData("42", "Not an event")]
    [InlineData("[1]", "Not an event")]
    public void Bodies_without_events_are_rejected(string body, string title) =>
        Assert.Equal(title, Parse(body).Error!.Title);

    [Fact]
    public void More_events_than_allowed_is_413()
    {
        var error = Parse($"[{Good}, {Good}, {Good}]", maxEvents: 2).Error!;
        Assert.Equal(413, error.Status);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8", true)]
    [InlineData("application/x-ndjson", true)]
    [InlineData("text/csv", false)]
    [InlineData(null, false)]
    public void Only_json_and_ndjson_are_supported(string? contentType, bool supported) =>
        Assert.Equal(supported, EventBodyParser.IsSupported(contentType, out _));
}
