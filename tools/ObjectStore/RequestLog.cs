using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace Vigil.ObjectStore;

/// <summary>With --log-requests: one console line per request (method, target, status, time).</summary>
public static class RequestLog
{
    public static async Task WriteAsync(HttpContext context, RequestDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value;
            Console.WriteLine($"objectstore: {context.Request.Method} {target} {context.Response.StatusCode} {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F1} ms");
        }
    }
}
