using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Vigil.ServiceDefaults;

/// <summary>
/// In Development, ASP.NET Core puts its developer exception page inside every other middleware, so it would answer
/// first, with the exception's type, message and stack, and an unreachable Postgres would become a 500 naming an Npgsql
/// type instead of a 503. This filter answers there exactly as the exception handler does in every other environment:
/// the registered <see cref="IExceptionHandler"/>s first (503 + Retry-After for a dependency out of reach), otherwise a
/// 500 problem+json with the trace id and nothing of the exception. Details stay in the log and the trace.
/// </summary>
internal sealed class ProblemDetailsDeveloperPageFilter(IEnumerable<IExceptionHandler> handlers, IProblemDetailsService problems)
    : IDeveloperPageExceptionFilter
{
    public async Task HandleExceptionAsync(ErrorContext errorContext, Func<ErrorContext, Task> next)
    {
        var context = errorContext.HttpContext;
        foreach (var handler in handlers)
        {
            if (await handler.TryHandleAsync(context, errorContext.Exception, context.RequestAborted)) return;
        }

        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        var written = await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = StatusCodes.Status500InternalServerError },
        });
        if (!written) await Results.Problem(statusCode: StatusCodes.Status500InternalServerError).ExecuteAsync(context);
    }
}
