using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Validation;

/// <summary>The JSON shape of everything Validation stores and answers: web defaults, enums as camelCase strings.</summary>
public static class ValidationJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        return options;
    }
}
