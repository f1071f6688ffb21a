using Vigil.Dashboard.Api;

namespace Vigil.Dashboard.Extensions;

/// <summary>
/// A run's reports, streamed from the API with the signed-in key, so a download link needs no key in the page or URL.
/// </summary>
public static class ReportDownloads
{
    public static IEndpointRouteBuilder MapReportDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/runs/{id:guid}/reports/{kind}", DownloadAsync).RequireAuthorization().ExcludeFromDescription();
        return app;
    }

    private static async Task DownloadAsync(Guid id, string kind, VigilApi api, HttpContext context)
    {
        using var response = await api.OpenReportAsync(id, kind, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream";
        if (response.IsSuccessStatusCode)
        {
            var name = response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName ?? $"{kind}";
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"{name.Trim('"')}\"";
        }
        await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
        await body.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
