using System.Net;

namespace Vigil.Dashboard.Api;

/// <summary>An API answer: the value, or the status and the problem+json title and detail a person should read.</summary>
public sealed record ApiResult<T>(T? Value, HttpStatusCode Status, string? Title = null, string? Detail = null)
{
    public bool Ok => Value is not null && (int)Status is >= 200 and < 300;

    /// <summary>Refused for want of a scope (the gateway's 403).</summary>
    public bool Forbidden => Status == HttpStatusCode.Forbidden;

    public bool NotFound => Status == HttpStatusCode.NotFound;

    /// <summary>One sentence for the page: the problem's detail, else its title, else the status.</summary>
    public string Message => Detail ?? Title ?? $"The API answered {(int)Status} {Status}.";
}
