using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Contracts;

namespace Vigil.ServiceDefaults.Problems;

/// <summary>
/// The one problem+json vocabulary of every Vigil API: a helper per status a handler answers, each with a title
/// (short, the same for every occurrence of the same problem) and a detail (this request's specifics, in the client's
/// words), and the type URI of <see cref="ProblemTypes"/>. Handlers return these; nothing else builds a problem.
/// </summary>
public static class ApiProblem
{
    /// <summary>A problem with any status; prefer the named helpers below.</summary>
    public static ProblemHttpResult Of(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail, type: ProblemTypes.For(status));

    /// <summary>
    /// A problem with extension members beside the standard ones (for example the keys a request named that do not
    /// exist), so a client reads them as data rather than parsing the detail.
    /// </summary>
    public static ProblemHttpResult Of(int status, string title, string detail, IEnumerable<KeyValuePair<string, object?>> extensions) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail, type: ProblemTypes.For(status), extensions: extensions);

    /// <summary>400: a parameter or body that cannot be used as given.</summary>
    public static ProblemHttpResult BadRequest(string title, string detail) => Of(StatusCodes.Status400BadRequest, title, detail);

    /// <summary>404: the named thing (dataset, run, model version, report) does not exist.</summary>
    public static ProblemHttpResult NotFound(string title, string detail) => Of(StatusCodes.Status404NotFound, title, detail);

    /// <summary>409: the request is well formed but clashes with the current state.</summary>
    public static ProblemHttpResult Conflict(string title, string detail) => Of(StatusCodes.Status409Conflict, title, detail);

    /// <summary>413: the body is over a configured limit.</summary>
    public static ProblemHttpResult TooLarge(string title, string detail) => Of(StatusCodes.Status413PayloadTooLarge, title, detail);

    /// <summary>415: the body's format is not one the endpoint reads.</summary>
    public static ProblemHttpResult UnsupportedMediaType(string title, string detail) => Of(StatusCodes.Status415UnsupportedMediaType, title, detail);

    /// <summary>422: the request was understood, but what it asks for cannot be done with this content (training, calibration, a pull).</summary>
    public static ProblemHttpResult Unprocessable(string title, string detail) => Of(StatusCodes.Status422UnprocessableEntity, title, detail);

    /// <summary>422 with extension members that name what could not be done (the keys, the values) for a client to read as data.</summary>
    public static ProblemHttpResult Unprocessable(string title, string detail, IEnumerable<KeyValuePair<string, object?>> extensions) =>
        Of(StatusCodes.Status422UnprocessableEntity, title, detail, extensions);

    /// <summary>503: a dependency is out of reach; nothing was done, the client retries.</summary>
    public static ProblemHttpResult Unavailable(string title, string detail) => Of(StatusCodes.Status503ServiceUnavailable, title, detail);

    /// <summary>503 with a Retry-After header of <paramref name="retryAfterSeconds"/>.</summary>
    public static ProblemHttpResult Unavailable(HttpResponse response, int retryAfterSeconds, string title, string detail)
    {
        SetRetryAfter(response, retryAfterSeconds);
        return Unavailable(title, detail);
    }

    /// <summary>429 with a Retry-After header of <paramref name="retryAfterSeconds"/>.</summary>
    public static ProblemHttpResult TooManyRequests(HttpResponse response, int retryAfterSeconds, string title, string detail)
    {
        SetRetryAfter(response, retryAfterSeconds);
        return Of(StatusCodes.Status429TooManyRequests, title, detail);
    }

    /// <summary>
    /// 400 naming each field that is wrong and why (the <c>errors</c> member of problem+json); without a title, ASP.NET's
    /// generic one; with a <paramref name="detail"/>, one sentence over all of them.
    /// </summary>
    public static ValidationProblem Validation(IEnumerable<KeyValuePair<string, string[]>> errors, string? title = null, string? detail = null) =>
        TypedResults.ValidationProblem(errors, detail: detail, title: title, type: ProblemTypes.BadRequest);

    /// <summary>400 with one field's error.</summary>
    public static ValidationProblem Validation(string field, string error, string? title = null) =>
        Validation(new Dictionary<string, string[]> { [field] = [error] }, title);

    /// <summary>400 for a query parameter outside its range or format: "Invalid {name}".</summary>
    public static ProblemHttpResult InvalidParameter(string name, string detail) => BadRequest($"Invalid {name}", detail);

    /// <summary>400 for a dataset name that breaks <see cref="DatasetNames"/>.</summary>
    public static ProblemHttpResult InvalidDatasetName(string name) =>
        BadRequest("Invalid dataset name", $"'{name}' is not a dataset name: use lower-case letters, digits, '.', '_' or '-' (e.g. banking.transactions).");

    /// <summary>404 for a dataset that is not registered.</summary>
    public static ProblemHttpResult UnknownDataset(string name) =>
        NotFound("Unknown dataset", $"Dataset '{name}' is not registered; register it first with POST /api/datasets.");

    /// <summary>Writes a problem straight to the response, for middleware that answers before any endpoint (the gateway).</summary>
    public static Task WriteAsync(HttpContext context, int status, string title, string detail) =>
        Of(status, title, detail).ExecuteAsync(context);

    private static void SetRetryAfter(HttpResponse response, int retryAfterSeconds) =>
        response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
}
