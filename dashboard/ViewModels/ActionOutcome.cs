using Vigil.Dashboard.Api;

namespace Vigil.Dashboard.ViewModels;

/// <summary>
/// What a person reads after an admin action (promote, roll back, accept or reset a schema, replay dead letters): the
/// success sentence, or the API's refusal, which for a missing scope says plainly that an admin key is needed.
/// </summary>
public sealed record ActionOutcome(bool Succeeded, string Message)
{
    public const string AdminScopeNeeded = "it needs an API key with the 'admin' scope, and the key you signed in with lacks it. Sign in with an admin key to do this.";

    public static ActionOutcome Of<T>(ApiResult<T> result, string action, Func<T, string> success) =>
        result.Ok ? new(true, success(result.Value!))
        : result.Forbidden ? new(false, $"{action} refused: {AdminScopeNeeded} ({result.Message})")
        : new(false, $"{action} failed: {result.Message}");
}
