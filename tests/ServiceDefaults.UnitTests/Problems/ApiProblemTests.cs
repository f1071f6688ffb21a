using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Vigil.ServiceDefaults.Problems;

namespace Vigil.ServiceDefaults.UnitTests.Problems;

public sealed class ApiProblemTests
{
    private static ProblemHttpResult Helper(int status, string title, string detail) => status switch
    {
        400 => ApiProblem.BadRequest(title, detail),
        404 => ApiProblem.NotFound(title, detail),
        409 => ApiProblem.Conflict(title, detail),
        413 => ApiProblem.TooLarge(title, detail),
        415 => ApiProblem.UnsupportedMediaType(title, detail),
        422 => ApiProblem.Unprocessable(title, detail),
        503 => ApiProblem.Unavailable(title, detail),
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    [Theory]
    [InlineData(400, ProblemTypes.BadRequest)]
    [InlineData(404, ProblemTypes.NotFound)]
    [InlineData(409, ProblemTypes.Conflict)]
    [InlineData(413, ProblemTypes.PayloadTooLarge)]
    [InlineData(415, ProblemTypes.UnsupportedMediaType)]
    [InlineData(422, ProblemTypes.UnprocessableEntity)]
    [InlineData(503, ProblemTypes.ServiceUnavailable)]
    public void Each_helper_answers_its_status_with_the_type_for_it_and_the_given_title_and_detail(int status, string type)
    {
        var problem = Helper(status, "Some title", "This request's detail.");

        Assert.Equal(status, problem.StatusCode);
        Assert.Equal(status, problem.ProblemDetails.Status);
        Assert.Equal(type, problem.ProblemDetails.Type);
        Assert.Equal("Some title", problem.ProblemDetails.Title);
        Assert.Equal("This request's detail.", problem.ProblemDetails.Detail);
    }

    [Fact]
    public void Every_status_a_helper_answers_has_a_distinct_type_uri()
    {
        int[] statuses = [400, 401, 403, 404, 409, 413, 415, 422, 429, 500, 502, 503, 504];

        var types = statuses.Select(ProblemTypes.For).ToList();

        Assert.All(types, t => Assert.StartsWith("https://tools.ietf.org/html/rfc", t));
        Assert.Equal(types.Count, types.Distinct().Count());
        Assert.Null(ProblemTypes.For(418));
    }

    [Fact]
    public void Unavailable_and_too_many_requests_say_when_to_retry()
    {
        var context = new DefaultHttpContext();

        var unavailable = ApiProblem.Unavailable(context.Response, 7, "Store unavailable", "Retry later.");
        Assert.Equal(503, unavailable.StatusCode);
        Assert.Equal("7", context.Response.Headers.RetryAfter.ToString());

        var tooMany = ApiProblem.TooManyRequests(context.Response, 2, "Too many events", "Slow down.");
        Assert.Equal(429, tooMany.StatusCode);
        Assert.Equal(ProblemTypes.TooManyRequests, tooMany.ProblemDetails.Type);
        Assert.Equal("2", context.Response.Headers.RetryAfter.ToString());
    }

    [Fact]
    public void Validation_names_each_field_with_its_errors()
    {
        var problem = ApiProblem.Validation(new Dictionary<string, string[]> { ["name"] = ["name is required."], ["rules[0].kind"] = ["unknown kind 'x'."] },
            "The dataset definition is not valid");

        Assert.Equal(400, problem.StatusCode);
        Assert.Equal(ProblemTypes.BadRequest, problem.ProblemDetails.Type);
        Assert.Equal("The dataset definition is not valid", problem.ProblemDetails.Title);
        Assert.Equal(["name", "rules[0].kind"], problem.ProblemDetails.Errors.Keys.Order());

        var single = ApiProblem.Validation("runId", "runId is required.", "No run given");
        Assert.Equal(["runId is required."], single.ProblemDetails.Errors["runId"]);
    }

    [Fact]
    public void Dataset_problems_name_the_dataset()
    {
        var unknown = ApiProblem.UnknownDataset("banking.transactions");
        var invalid = ApiProblem.InvalidDatasetName("Banking Transactions");

        Assert.Equal((404, "Unknown dataset"), (unknown.StatusCode, unknown.ProblemDetails.Title));
        Assert.Contains("'banking.transactions'", unknown.ProblemDetails.Detail);
        Assert.Equal((400, "Invalid dataset name"), (invalid.StatusCode, invalid.ProblemDetails.Title));
        Assert.Contains("'Banking Transactions'", invalid.ProblemDetails.Detail);
    }

    [Fact]
    public async Task WriteAsync_answers_problem_json_for_middleware()
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();

        await ApiProblem.WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden", "This API key lacks the 'admin' scope.");

        Assert.Equal(403, context.Response.StatusCode);
        Assert.StartsWith("application/problem+json", context.Response.ContentType);
        context.Response.Body.Position = 0;
        using var body = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.Equal(ProblemTypes.Forbidden, body.RootElement.GetProperty("type").GetString());
        Assert.Equal("Forbidden", body.RootElement.GetProperty("title").GetString());
        Assert.Equal("This API key lacks the 'admin' scope.", body.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Extension_members_are_written_beside_the_standard_ones()
    {
        var missing = new List<Dictionary<string, string?>> { new() { ["id"] = "7" } };
        var problem = ApiProblem.Unprocessable("Keys not in the run", "1 of 2 keys name no record.",
            new Dictionary<string, object?> { ["missingKeys"] = missing, ["missingCount"] = 1 });
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();

        await problem.ExecuteAsync(context);

        Assert.Equal(422, context.Response.StatusCode);
        context.Response.Body.Position = 0;
        using var body = await JsonDocument.ParseAsync(context.Response.Body);
        var root = body.RootElement;
        Assert.Equal(ProblemTypes.UnprocessableEntity, root.GetProperty("type").GetString());
        Assert.Equal("Keys not in the run", root.GetProperty("title").GetString());
        Assert.Equal("1 of 2 keys name no record.", root.GetProperty("detail").GetString());
        Assert.Equal(1, root.GetProperty("missingCount").GetInt32());
        Assert.Equal("7", root.GetProperty("missingKeys")[0].GetProperty("id").GetString());
    }

    [Fact]
    public void Extensions_keep_the_status_type_of_the_status_given()
    {
        var problem = ApiProblem.Of(StatusCodes.Status409Conflict, "Busy", "Another promotion runs.", new Dictionary<string, object?> { ["model"] = 3 });

        Assert.Equal((409, ProblemTypes.Conflict), (problem.StatusCode, problem.ProblemDetails.Type));
        Assert.Equal(3, problem.ProblemDetails.Extensions["model"]);
    }

    [Fact]
    public void Validation_can_say_one_sentence_over_its_field_errors()
    {
        var problem = ApiProblem.Validation(new Dictionary<string, string[]> { ["minRecords"] = ["must be 1 or more."] }, "Invalid policy", "One or more policy values are out of range.");

        Assert.Equal((400, ProblemTypes.BadRequest), (problem.StatusCode, problem.ProblemDetails.Type));
        Assert.Equal("Invalid policy", problem.ProblemDetails.Title);
        Assert.Equal("One or more policy values are out of range.", problem.ProblemDetails.Detail);
        Assert.Equal(["must be 1 or more."], problem.ProblemDetails.Errors["minRecords"]);
    }
}
