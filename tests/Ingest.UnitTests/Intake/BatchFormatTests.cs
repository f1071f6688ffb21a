using Vigil.Ingest.Intake;

namespace Vigil.Ingest.UnitTests.Intake;

public sealed class BatchFormatTests
{
    [Theory]
    [InlineData("text/csv", "text/csv", "csv")]
    [InlineData("application/json", "application/json", "json")]
    [InlineData("application/x-ndjson", "application/x-ndjson", "ndjson")]
    public void Recognize_maps_each_supported_media_type_to_its_extension(string contentType, string mediaType, string extension) =>
        Assert.Equal((mediaType, extension), BatchFormat.Recognize(contentType));

    [Theory]
    [InlineData("text/csv; charset=utf-8")]
    [InlineData("text/csv;charset=UTF-8")]
    [InlineData("  text/csv  ; charset=utf-8; header=present")]
    public void Recognize_ignores_parameters_and_surrounding_spaces(string contentType) =>
        Assert.Equal(("text/csv", "csv"), BatchFormat.Recognize(contentType));

    [Theory]
    [InlineData("TEXT/CSV", "text/csv", "csv")]
    [InlineData("Application/JSON; Charset=UTF-8", "application/json", "json")]
    [InlineData("application/X-NDJSON", "application/x-ndjson", "ndjson")]
    public void Recognize_is_case_insensitive_and_returns_the_canonical_lower_case_media_type(string contentType, string mediaType, string extension) =>
        Assert.Equal((mediaType, extension), BatchFormat.Recognize(contentType));

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/octet-stream")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("csv")]
    [InlineData("text/csvx")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Recognize_returns_null_for_unsupported_or_missing_content_types(string? contentType) =>
        Assert.Null(BatchFormat.Recognize(contentType));

    [Fact]
    public void MediaTypes_lists_the_three_supported_types()
    {
        Assert.Equal(["text/csv", "application/json", "application/x-ndjson"], BatchFormat.MediaTypes);
    }
}
