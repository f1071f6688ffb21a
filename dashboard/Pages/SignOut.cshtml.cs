using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.Dashboard.Access;

namespace Vigil.Dashboard.Pages;

/// <summary>Clears the sign-in cookie (POST with the antiforgery token only, so another site cannot sign a person out).</summary>
public sealed class SignOutModel : PageModel
{
    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        await DashboardAuth.SignOutAsync(HttpContext);
        return LocalRedirect($"{Request.PathBase}{DashboardAuth.SignInPath}");
    }
}
