using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Scoring.Features;

/// <summary>The JSON form of fitted models (pipeline, detectors, calibration): camelCase, enums as text, nulls left out.</summary>
internal static class ModelJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.Strict,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Write<T>(T document) => JsonSerializer.Serialize(document, Options);

    /// <summary>Reads a stored document; malformed JSON or a wrong format version is an <see cref="InvalidDataException"/>.</summary>
    public static T Read<T>(string json, string what, int expectedVersion, Func<T, int> version)
    {
        ArgumentNullException.ThrowIfNull(json);
        T? document;
        try
        {
            document = JsonSerializer.Deserialize<T>(json, Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The stored {what} is not valid JSON of its format: {e.Message}", e);
        }
        if (document is null) throw new InvalidDataException($"The stored {what} is empty.");
        var found = version(document);
        if (found != expectedVersion)
            throw new InvalidDataException($"The stored {what} has format version {found}; this build reads version {expectedVersion}.");
        return document;
    }
}
