using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vigil.ServiceDefaults.Problems;

/// <summary>
/// Answers a request whose body or parameters could not be bound with 400 problem+json naming the field (and, for JSON,
/// the line and column), instead of a bare 400 (Production) or an exception page (Development). Minimal APIs are told
/// to throw on bad requests so the reason is not lost; this middleware sits inside the developer exception page and
/// ahead of the exception handlers, so a binding failure is never mistaken for an unavailable dependency (the
/// framework's exception derives from IOException).
/// </summary>
internal sealed partial class BadRequestBodyHandler(RequestDelegate next, IProblemDetailsService problems, ILogger<BadRequestBodyHandler> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var problem = BadRequestProblem.From(e, context.GetEndpoint());
            LogBadRequest(logger, context.Request.Method, context.Request.Path, problem.Detail ?? "");
            context.Response.Clear();
            context.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
            await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
        }
    }

    [LoggerMessage(LogLevel.Information, "{Method} {Path} answered 400: {Reason}")]
    private static partial void LogBadRequest(ILogger logger, string method, string path, string reason);
}

public static class BadRequestProblemsExtensions
{
    /// <summary>Minimal APIs throw on binding failures (in every environment) so <see cref="BadRequestBodyHandler"/> can name the field.</summary>
    public static IServiceCollection AddBadRequestProblems(this IServiceCollection services) =>
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

    /// <summary>Puts <see cref="BadRequestBodyHandler"/> in the application's pipeline, ahead of the endpoints.</summary>
    public static IApplicationBuilder UseBadRequestProblems(this IApplicationBuilder app) => app.UseMiddleware<BadRequestBodyHandler>();
}
