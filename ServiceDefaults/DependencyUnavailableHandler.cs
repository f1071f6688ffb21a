using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Vigil.ServiceDefaults.Messaging;

namespace Vigil.ServiceDefaults;

/// <summary>
/// A request that fails because a backing server (Postgres, Redis, S3, the broker, another service) is out of reach or
/// too slow is answered 503 problem+json with Retry-After, naming no exception type: the client retries, nothing is lost.
/// </summary>
internal sealed partial class DependencyUnavailableHandler(IProblemDetailsService problems, ILogger<DependencyUnavailableHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!TransientFailures.IsTransient(exception) || context.Response.HasStarted) return false;
        LogUnavailable(logger, context.Request.Method, context.Request.Path, exception.GetBaseException().Message);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Dependency unavailable",
                Detail = $"A backing service could not be reached in time and the request was not completed. Retry after {RetryAfterSeconds} seconds.",
            },
        });
    }

    [LoggerMessage(LogLevel.Warning, "{Method} {Path} answered 503: a dependency is unavailable ({Error})")]
    private static partial void LogUnavailable(ILogger logger, string method, string path, string error);
}
