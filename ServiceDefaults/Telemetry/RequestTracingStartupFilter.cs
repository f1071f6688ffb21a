using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Vigil.ServiceDefaults.Telemetry;

/// <summary>
/// Stands in for the ASP.NET Core instrumentation package: names the request span after its route, adds the
/// HTTP semantic-convention tags, and leaves health probes out of traces (they would drown everything else).
/// </summary>
internal sealed class RequestTracingStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, proceed) =>
        {
            var activity = Activity.Current;
            if (activity is null || activity.Source.Name != "Microsoft.AspNetCore")
            {
                await proceed(context);
                return;
            }
            var path = context.Request.Path;
            if (path.StartsWithSegments(Microsoft.Extensions.Hosting.ServiceDefaultsExtensions.HealthPath) ||
                path.StartsWithSegments(Microsoft.Extensions.Hosting.ServiceDefaultsExtensions.AlivePath))
            {
                // Unrecorded, so the probe's own outgoing calls (database pings, S3 checks) are dropped with it.
                activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
                activity.IsAllDataRequested = false;
                await proceed(context);
                return;
            }

            activity.SetTag("http.request.method", context.Request.Method);
            activity.SetTag("url.path", path.Value);
            activity.SetTag("url.scheme", context.Request.Scheme);
            try
            {
                await proceed(context);
            }
            finally
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
                if (route is not null)
                {
                    route = "/" + route.TrimStart('/');
                    activity.SetTag("http.route", route);
                    activity.DisplayName = $"{context.Request.Method} {route}";
                }
                activity.SetTag("http.response.status_code", context.Response.StatusCode);
                if (context.Response.StatusCode >= 500) activity.SetStatus(ActivityStatusCode.Error);
            }
        });
        next(app);
    };
}
