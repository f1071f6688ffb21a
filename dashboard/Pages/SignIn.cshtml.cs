using System.Net;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.Dashboard.Access;
using Vigil.Dashboard.Api;

namespace Vigil.Dashboard.Pages;

/// <summary>Checks the key against the gateway and, when it may read, keeps it in the encrypted sign-in cookie.</summary>
public sealed class SignInModel(VigilApi api) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync([FromForm] string? key, CancellationToken cancellationToken)
    {
        key = key?.Trim();
        if (string.IsNullOrEmpty(key))
        {
            Error = "Enter an API key.";
            return Page();
        }
        var check = await api.CheckKeyAsync(key, cancellationToken);
        Error = check.Status switch
        {
            _ when check.Ok => null,
            HttpStatusCode.Unauthorized => "That API key was not accepted: it is unknown, revoked or mistyped. Check it and try again.",
            HttpStatusCode.Forbidden => $"That API key is valid but cannot read: it lacks the 'read' scope. ({check.Message})",
            _ => $"Vigil could not check the key just now: {check.Message}",
        };
        if (Error is not null)
        {
            Response.StatusCode = check.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? 401 : 503;
            return Page();
        }
        await DashboardAuth.SignInAsync(HttpContext, key);
        return LocalRedirect(DashboardAuth.SafeReturnUrl(ReturnUrl, Request.PathBase));
    }
}
