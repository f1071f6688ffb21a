using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Timeouts;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Vigil.Gateway.Routing;

/// <summary>
/// The first step of the proxy pipeline: keeps Vigil's problem+json contract around YARP's forwarder, which answers
/// its failures with a bare status code (and a route timeout with 400, since to YARP it looks like a client abort).
/// Before forwarding: a declared Content-Length over the route's limit is 413 without contacting the destination.
/// After: a route timeout is 504, an unreachable or failing destination 502, a client body the server refused
/// (too large, malformed) 413/400 — each naming the cluster, never an internal address. A client that left gets nothing.
/// </summary>
public sealed class ForwarderProblemsMiddleware(RequestDelegate next, ILogger<ForwarderProblemsMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var route = context.GetReverseProxyFeature().Route.Config;
        if (DeclaredBodyOverLimit(context, route) is { } limit)
        {
            logger.RequestBodyRejected(route.RouteId, StatusCodes.Status413PayloadTooLarge);
            await ProxyProblems.RequestRejected(context, StatusCodes.Status413PayloadTooLarge,
                $"The request body ({context.Request.ContentLength} bytes) is larger than this route's limit of {limit} bytes.");
            return;
        }

        await next(context);

        if (context.GetForwarderErrorFeature() is not { } failure)
        {
            return;
        }

        var clusterId = route.ClusterId ?? "";
        var timedOut = context.Features.Get<IHttpRequestTimeoutFeature>()?.RequestTimeoutToken.IsCancellationRequested == true
            || failure.Error == ForwarderError.RequestTimedOut;
        if (!timedOut && context.RequestAborted.IsCancellationRequested)
        {
            // The client left: YARP has cancelled the upstream call; nothing to answer, nothing to alarm about.
            logger.ClientAborted(route.RouteId, clusterId);
        }
        else if (context.Response.HasStarted)
        {
            // Failed after the status went out: YARP has aborted the client connection, so the client sees a broken
            // response rather than a short one. Nothing more can be said.
            return;
        }
        else if (timedOut)
        {
            logger.RouteTimedOut(route.RouteId, clusterId, route.Timeout);
            await Answer(context, ctx => ProxyProblems.GatewayTimeout(ctx, clusterId, route.Timeout));
        }
        else if (failure.Error == ForwarderError.RequestBodyClient)
        {
            // YARP has set the status the server gave the body (413 over the limit, 400 malformed chunking).
            var status = context.Response.StatusCode;
            logger.RequestBodyRejected(route.RouteId, status);
            await Answer(context, ctx => ProxyProblems.RequestRejected(ctx, status, BodyRejection(failure.Exception, status)));
        }
        else
        {
            logger.ForwardFailed(failure.Exception, route.RouteId, clusterId, failure.Error.ToString());
            await Answer(context, ctx => ProxyProblems.BadGateway(ctx, clusterId));
        }
    }

    private static Task Answer(HttpContext context, Func<HttpContext, Task> problem)
    {
        context.Response.Clear();
        return problem(context);
    }

    /// <summary>The limit in force when the declared Content-Length exceeds it, else null.</summary>
    private static long? DeclaredBodyOverLimit(HttpContext context, Yarp.ReverseProxy.Configuration.RouteConfig route)
    {
        var limit = route.MaxRequestBodySize is { } routeLimit
            ? routeLimit < 0 ? null : routeLimit
            : context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        return limit is { } max && context.Request.ContentLength > max ? max : null;
    }

    private static string BodyRejection(Exception? exception, int status)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is BadHttpRequestException rejected) return rejected.Message;
            if (current is AggregateException aggregate && aggregate.InnerExceptions.OfType<BadHttpRequestException>().FirstOrDefault() is { } inner)
            {
                return inner.Message;
            }
        }

        return status == StatusCodes.Status413PayloadTooLarge ? "The request body is larger than this route's limit." : "The request body could not be read.";
    }
}
