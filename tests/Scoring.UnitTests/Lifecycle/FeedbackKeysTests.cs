using System.Text.Json;
using Vigil.Scoring.Feedback;
using Vigil.Tabular.Tables;

namespace Vigil.Scoring.UnitTests.Lifecycle;

public sealed class FeedbackKeysTests
{
    private static JsonElement[] Keys(string json) => [.. JsonDocument.Parse(json).RootElement.EnumerateArray().Select(e => e.Clone())];

    [Fact]
    public void Keys_as_objects_or_bare_values_find_the_rows_that_carry_them_including_a_repeated_key()
    {
        var table = TypedTable.FromRows(["id", "amount"], [["a-1", "10"], ["a-2", "20"], ["a-1", "30"], ["7", "40"]]);
        var index = FeedbackKeys.Index(table, ["id"]);

        var (keys, error) = FeedbackKeys.Parse(["id"], Keys("""[{"id":"a-1"}, "a-2", 7, "missing"]"""));

        Assert.Null(error);
        var found = keys.Select(k => index.GetValueOrDefault(FeedbackKeys.Identity(k))).ToList();
        Assert.Equal([0, 2], found[0]);
        Assert.Equal([1], found[1]);
        Assert.Equal([3], found[2]);
        Assert.Null(found[3]);
    }

    [Fact]
    public void A_composite_key_is_matched_on_every_column_whatever_the_order_of_its_properties()
    {
        var table = TypedTable.FromRows(["region", "id", "amount"], [["eu", "1", "10"], ["us", "1", "20"]]);
        var index = FeedbackKeys.Index(table, ["region", "id"]);

        var (keys, error) = FeedbackKeys.Parse(["region", "id"], Keys("""[{"id": 1, "region": "us"}]"""));

        Assert.Null(error);
        Assert.Equal([1], index[FeedbackKeys.Identity(keys[0])]);
    }

    [Theory]
    [InlineData("""[{"id":"1"}]""", "keys[0] names 'id'; each key names exactly the key columns 'region', 'id'.")]
    [InlineData("""[{"region":"eu","id":"1","extra":2}]""", "keys[0] names 'region', 'id', 'extra'; each key names exactly the key columns 'region', 'id'.")]
    [InlineData("""["1"]""", "keys[0] must be an object naming the key columns 'region', 'id'.")]
    [InlineData("""[{"region":"eu","id":[1]}]""", "keys[0].id must be a string, number or null.")]
    public void A_key_of_the_wrong_shape_is_refused_saying_which_and_why(string json, string message)
    {
        var (_, error) = FeedbackKeys.Parse(["region", "id"], Keys(json));

        Assert.Equal(message, error);
    }
}
