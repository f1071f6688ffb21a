using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Vigil.ServiceDefaults;

/// <summary>Every error leaves a service as problem+json: unhandled exceptions and bare status codes (404, 405, ...) alike.</summary>
internal sealed class ProblemDetailsStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        next(app);
    };
}
