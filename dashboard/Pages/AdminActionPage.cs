using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.Dashboard.Api;
using Vigil.Dashboard.ViewModels;

namespace Vigil.Dashboard.Pages;

/// <summary>
/// A page with admin actions: each POST handler calls the API, records the outcome with <see cref="Record"/> and
/// redirects back (post/redirect/get); the next GET shows it once through the _ActionOutcome partial.
/// </summary>
public abstract class AdminActionPage : PageModel
{
    [TempData]
    public string? Outcome { get; set; }

    [TempData]
    public string? Refusal { get; set; }

    protected void Record<T>(ApiResult<T> result, string action, Func<T, string> success)
    {
        var outcome = ActionOutcome.Of(result, action, success);
        if (outcome.Succeeded) Outcome = outcome.Message;
        else Refusal = outcome.Message;
    }
}
