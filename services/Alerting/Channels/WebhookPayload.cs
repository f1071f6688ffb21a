using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Alerting.Policies;

namespace Vigil.Alerting.Channels;

/// <summary>The generic webhook body: the alert as JSON, with a one-line <c>title</c> first.</summary>
public static class WebhookPayload
{
    public const string ContentType = "application/json";

    public static string Render(AlertMessage alert)
    {
        var body = new JsonObject { ["title"] = AlertText.Title(alert) };
        foreach (var (name, value) in JsonSerializer.SerializeToNode(alert, AlertingJson.Options)!.AsObject().ToList())
            body[name] = value?.DeepClone();
        return body.ToJsonString(AlertingJson.Options);
    }
}
