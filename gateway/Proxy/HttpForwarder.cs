using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http.Features;

namespace Vigil.Gateway.Proxy;

/// <summary>
/// Forwards one request to a destination of the route's cluster and streams the answer back:
/// the request body goes out as it arrives, the response body comes back as it arrives, nothing is buffered whole.
/// </summary>
public sealed class HttpForwarder(
    ForwarderHttpClient httpClient,
    DestinationSelector destinations,
    ServiceAddressResolver addresses,
    ILogger<HttpForwarder> logger)
{
    public async Task ForwardAsync(HttpContext context, string routeId, RouteConfig route)
    {
        if (!ApplyRequestBodyLimit(context, route, out var limit))
        {
            // Refused before anything is forwarded: a destination that answers without reading the body would otherwise
            // hide the gateway's limit.
            logger.RequestBodyRejected(null, routeId, StatusCodes.Status413PayloadTooLarge);
            await ProxyProblems.RequestRejected(context, StatusCodes.Status413PayloadTooLarge,
                $"The request body ({context.Request.ContentLength} bytes) is larger than this route's limit of {limit} bytes.");
            return;
        }

        var clusterId = route.ClusterId;
        var destination = destinations.Select(clusterId);
        var timeout = route.Timeout ?? GatewayOptions.DefaultRouteTimeout;
        Activity.Current?.SetTag("vigil.gateway.route", routeId).SetTag("vigil.gateway.cluster", clusterId);

        // One token for the upstream exchange: cancelled by the client going away or by the route's timeout.
        using var exchange = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        exchange.CancelAfter(timeout);

        try
        {
            using var request = CreateRequest(context, addresses.Resolve(destination.Address));
            using var response = await httpClient.SendAsync(request, exchange.Token);
            destinations.ReportSuccess(destination);
            await CopyResponseAsync(context, response, exchange.Token);
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client left: the upstream call is already cancelled; nothing to answer, nothing to alarm about.
            logger.ClientAborted(routeId, clusterId);
        }
        catch (Exception ex) when (context.Response.HasStarted && ex is IOException or OperationCanceledException)
        {
            // Headers are out: the status can no longer change, so the client must see a broken response, not a short one.
            logger.ResponseAborted(ex, routeId, clusterId);
            context.Abort();
        }
        catch (Exception) when (exchange.IsCancellationRequested)
        {
            logger.RouteTimedOut(routeId, clusterId, timeout);
            await ProxyProblems.GatewayTimeout(context, clusterId, timeout);
        }
        catch (Exception ex) when (FindInner<BadHttpRequestException>(ex) is { } rejected)
        {
            // Reading the client's body failed (too large, malformed chunking): the client's fault, not the destination's.
            logger.RequestBodyRejected(ex, routeId, rejected.StatusCode);
            await ProxyProblems.RequestRejected(context, rejected.StatusCode, rejected.Message);
        }
        catch (HttpRequestException ex)
        {
            if (ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
            {
                destinations.ReportConnectionFailure(destination);
                logger.DestinationUnreachable(ex, clusterId, destination.DestinationId, destinations.ReactivationPeriod(clusterId));
            }
            else
            {
                logger.ForwardFailed(ex, routeId, clusterId, destination.DestinationId);
            }

            await ProxyProblems.BadGateway(context, clusterId);
        }
    }

    private static HttpRequestMessage CreateRequest(HttpContext context, string baseAddress)
    {
        var incoming = context.Request;
        var target = new Uri(baseAddress + incoming.Path.ToUriComponent() + incoming.QueryString.ToUriComponent(), UriKind.Absolute);
        var request = new HttpRequestMessage(HttpMethod.Parse(incoming.Method), target)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };

        if (CanHaveBody(context))
        {
            request.Content = new StreamContent(incoming.Body);
        }
        else if (incoming.ContentLength == 0 || incoming.Headers.ContentType.Count > 0)
        {
            // An empty body still has content headers (Content-Type, Content-Length: 0) the destination may judge it by.
            request.Content = new ByteArrayContent([]);
        }

        var connectionTokens = HeaderRules.ConnectionTokens(incoming.Headers.Connection);
        foreach (var (name, values) in incoming.Headers)
        {
            if (!HeaderRules.ForwardRequestHeader(name, connectionTokens))
            {
                continue;
            }

            // Content-* headers are rejected by the request's header collection and belong on the content.
            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        var forwardedFor = HeaderRules.AppendForwardedFor(
            incoming.Headers[HeaderRules.ForwardedHeaders.For], context.Connection.RemoteIpAddress?.ToString());
        if (forwardedFor.Length > 0)
        {
            request.Headers.TryAddWithoutValidation(HeaderRules.ForwardedHeaders.For, forwardedFor);
        }

        request.Headers.TryAddWithoutValidation(HeaderRules.ForwardedHeaders.Proto, incoming.Scheme);
        if (incoming.Host.HasValue)
        {
            request.Headers.TryAddWithoutValidation(HeaderRules.ForwardedHeaders.Host, incoming.Host.Value);
        }

        return request;
    }

    private static async Task CopyResponseAsync(HttpContext context, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var outgoing = context.Response;
        outgoing.StatusCode = (int)response.StatusCode;

        var connectionTokens = HeaderRules.ConnectionTokens(
            response.Headers.TryGetValues("Connection", out var connection) ? connection : []);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (HeaderRules.ForwardResponseHeader(name, connectionTokens))
            {
                outgoing.Headers[name] = values.ToArray();
            }
        }

        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await outgoing.StartAsync(cancellationToken);

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await body.CopyToAsync(outgoing.Body, cancellationToken);
    }

    private static bool CanHaveBody(HttpContext context) =>
        context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody
        ?? (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0);

    /// <summary>Sets the route's body limit; false when the declared Content-Length already exceeds the limit in force.</summary>
    private static bool ApplyRequestBodyLimit(HttpContext context, RouteConfig route, out long? limit)
    {
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (route.MaxRequestBodySize is { } routeLimit && feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = routeLimit < 0 ? null : routeLimit;
        }

        limit = feature?.MaxRequestBodySize;
        return !(limit is { } max && context.Request.ContentLength > max);
    }

    private static T? FindInner<T>(Exception exception) where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }

        return null;
    }
}
