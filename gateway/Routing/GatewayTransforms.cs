using Vigil.Gateway.Access;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Vigil.Gateway.Routing;

/// <summary>
/// Header rules on every route, beyond what YARP does by itself (the fixed hop-by-hop headers dropped both ways, the
/// incoming W3C trace context replaced by the gateway's own on the outgoing request):
/// headers that a Connection header names are hop-by-hop for that message too (RFC 9110 §7.6.1), so they are dropped
/// both ways; the legacy trace headers (Request-Id, Correlation-Context) stay out as well; the client's gateway
/// credentials never reach a service; X-Forwarded-For is appended to (a proxy in front of the gateway keeps its part
/// of the chain); X-Forwarded-Proto and -Host are the gateway's own.
/// </summary>
public static class GatewayTransforms
{
    public static void Apply(TransformBuilderContext context)
    {
        context.AddRequestTransform(request =>
        {
            foreach (var name in ConnectionTokens(request.HttpContext.Request.Headers.Connection))
            {
                request.ProxyRequest.Headers.Remove(name);
                request.ProxyRequest.Content?.Headers.Remove(name);
            }

            return ValueTask.CompletedTask;
        });
        context.AddResponseTransform(response =>
        {
            var connection = response.ProxyResponse?.Headers.TryGetValues("Connection", out var values) == true ? values : [];
            foreach (var name in ConnectionTokens(connection))
            {
                response.HttpContext.Response.Headers.Remove(name);
            }

            return ValueTask.CompletedTask;
        });
        context.AddRequestHeaderRemove("Request-Id");
        context.AddRequestHeaderRemove("Correlation-Context");
        context.AddRequestHeaderRemove(AccessControlMiddleware.ApiKeyHeader);
        context.AddRequestHeaderRemove("Authorization");
        context.AddXForwardedFor(action: ForwardedTransformActions.Append);
        context.AddXForwardedProto(action: ForwardedTransformActions.Set);
        context.AddXForwardedHost(action: ForwardedTransformActions.Set);
        context.AddXForwardedPrefix(action: ForwardedTransformActions.Set);
    }

    /// <summary>The header names listed in Connection header values.</summary>
    public static IEnumerable<string> ConnectionTokens(IEnumerable<string?> connectionHeaderValues) =>
        connectionHeaderValues.SelectMany(value => (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
