using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Alerting;

/// <summary>The JSON shape of everything Alerting stores, sends and answers: web defaults, enums as camelCase strings.</summary>
public static class AlertingJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        return options;
    }
}
