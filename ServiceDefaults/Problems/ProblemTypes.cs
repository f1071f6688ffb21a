using Microsoft.AspNetCore.Http;

namespace Vigil.ServiceDefaults.Problems;

/// <summary>
/// The <c>type</c> URI of every problem a Vigil API answers: the section of the HTTP specification that defines the
/// status (the same URIs ASP.NET Core fills in by default, written down once so every service and the gateway agree).
/// </summary>
public static class ProblemTypes
{
    public const string BadRequest = "https://tools.ietf.org/html/rfc9110#section-15.5.1";
    public const string Unauthorized = "https://tools.ietf.org/html/rfc9110#section-15.5.2";
    public const string Forbidden = "https://tools.ietf.org/html/rfc9110#section-15.5.4";
    public const string NotFound = "https://tools.ietf.org/html/rfc9110#section-15.5.5";
    public const string Conflict = "https://tools.ietf.org/html/rfc9110#section-15.5.10";
    public const string PayloadTooLarge = "https://tools.ietf.org/html/rfc9110#section-15.5.14";
    public const string UnsupportedMediaType = "https://tools.ietf.org/html/rfc9110#section-15.5.16";
    public const string UnprocessableEntity = "https://tools.ietf.org/html/rfc9110#section-15.5.21";
    public const string TooManyRequests = "https://tools.ietf.org/html/rfc6585#section-4";
    public const string InternalServerError = "https://tools.ietf.org/html/rfc9110#section-15.6.1";
    public const string BadGateway = "https://tools.ietf.org/html/rfc9110#section-15.6.3";
    public const string ServiceUnavailable = "https://tools.ietf.org/html/rfc9110#section-15.6.4";
    public const string GatewayTimeout = "https://tools.ietf.org/html/rfc9110#section-15.6.5";

    /// <summary>The type URI for a status, or null for one Vigil does not answer with a problem.</summary>
    public static string? For(int status) => status switch
    {
        StatusCodes.Status400BadRequest => BadRequest,
        StatusCodes.Status401Unauthorized => Unauthorized,
        StatusCodes.Status403Forbidden => Forbidden,
        StatusCodes.Status404NotFound => NotFound,
        StatusCodes.Status409Conflict => Conflict,
        StatusCodes.Status413PayloadTooLarge => PayloadTooLarge,
        StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType,
        StatusCodes.Status422UnprocessableEntity => UnprocessableEntity,
        StatusCodes.Status429TooManyRequests => TooManyRequests,
        StatusCodes.Status500InternalServerError => InternalServerError,
        StatusCodes.Status502BadGateway => BadGateway,
        StatusCodes.Status503ServiceUnavailable => ServiceUnavailable,
        StatusCodes.Status504GatewayTimeout => GatewayTimeout,
        _ => null,
    };
}
