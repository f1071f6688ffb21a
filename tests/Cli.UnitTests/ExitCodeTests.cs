using System.Net;
using System.Text;
using Vigil.Cli.Arguments;
using Vigil.Cli.Commands;

namespace Vigil.Cli.UnitTests;

/// <summary>The whole tool over a fake gateway: each kind of answer ends in its own exit code, results on stdout, progress on stderr.</summary>
public sealed class ExitCodeTests : IDisposable
{
    private static readonly Guid RunId = Guid.Parse("0a7f3a62-5a43-4a40-a2bb-4b3f1e4b2b0c");
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"vigil-cli-{Guid.NewGuid():n}.csv");
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();

    public ExitCodeTests() => File.WriteAllText(_file, "id,amount\n1,10\n");

    private async Task<int> RunAsync(string commandLine, Func<HttpRequestMessage, HttpResponseMessage> gateway)
    {
        var output = new CliOutput(_out, _error, () => new MemoryStream());
        return await VigilCli.RunAsync(commandLine.Replace("FILE", _file).Split(' '), _ => null, output, CancellationToken.None,
            connection => new VigilApi(new HttpClient(new FakeGateway(gateway)) { BaseAddress = connection.Url }));
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string json, string mediaType = "application/json") =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, mediaType) };

    private static HttpResponseMessage Accepted() => Json(HttpStatusCode.Accepted, $$$"""{"runId":"{{{RunId}}}","duplicate":false}""");

    private static Func<HttpRequestMessage, HttpResponseMessage> Ending(string runJson) => request =>
        request.Method == HttpMethod.Post ? Accepted() : Json(HttpStatusCode.OK, runJson);

    [Fact]
    public async Task A_clean_verdict_exits_0_with_the_summary_on_stdout_and_progress_on_stderr()
    {
        var code = await RunAsync("check --dataset d --file FILE --wait", Ending($$$"""{"runId":"{{{RunId}}}","dataset":"d","status":"completed","decisionCounts":{"approve":1},"validation":{"rulesFailed":0}}"""));

        Assert.Equal(ExitCodes.Passed, code);
        Assert.StartsWith("PASSED d run " + RunId, _out.ToString());
        Assert.Contains($"accepted: run {RunId}", _error.ToString());
        Assert.DoesNotContain("accepted", _out.ToString());
    }

    [Fact]
    public async Task Blocked_records_exit_1_and_a_failed_run_exits_3()
    {
        var blocked = await RunAsync("check --dataset d --file FILE --wait --json", Ending($$$"""{"runId":"{{{RunId}}}","dataset":"d","status":"completed","decisionCounts":{"block":4},"validation":{}}"""));
        var failed = await RunAsync("check --dataset d --file FILE --wait", Ending($$$"""{"runId":"{{{RunId}}}","dataset":"d","status":"failed","failure":{"stage":"ingest","reason":"bad UTF-8"}}"""));

        Assert.Equal(ExitCodes.Blocked, blocked);
        Assert.Equal(ExitCodes.RunFailed, failed);
        Assert.Contains("\"exitCode\": 1", _out.ToString());
        Assert.Contains("bad UTF-8", _out.ToString());
    }

    [Fact]
    public async Task A_problem_answer_exits_4_with_its_title_and_detail()
    {
        var code = await RunAsync("check --dataset nope --file FILE --wait",
            _ => Json(HttpStatusCode.NotFound, """{"title":"Unknown dataset","detail":"Dataset 'nope' is not registered."}""", "application/problem+json"));

        Assert.Equal(ExitCodes.Rejected, code);
        Assert.Contains("Unknown dataset: Dataset 'nope' is not registered.", _error.ToString());
        Assert.Equal("", _out.ToString());
    }

    [Fact]
    public async Task An_unavailable_or_unreachable_gateway_exits_5()
    {
        var unavailable = await RunAsync("runs", _ => Json(HttpStatusCode.ServiceUnavailable, """{"title":"Dataset catalog unavailable"}"""));
        var unreachable = await RunAsync("runs", _ => throw new HttpRequestException("Connection refused"));

        Assert.Equal(ExitCodes.Unreachable, unavailable);
        Assert.Equal(ExitCodes.Unreachable, unreachable);
        Assert.Contains("Connection refused", _error.ToString());
    }

    [Fact]
    public async Task A_run_that_does_not_end_in_time_exits_6()
    {
        var code = await RunAsync("check --dataset d --file FILE --wait --timeout 1",
            request => request.Method == HttpMethod.Post ? Accepted() : Json(HttpStatusCode.OK, $$$"""{"runId":"{{{RunId}}}","status":"running"}"""));

        Assert.Equal(ExitCodes.TimedOut, code);
        Assert.Contains("had not ended after 1 s", _error.ToString());
    }

    [Fact]
    public async Task A_missing_file_is_a_usage_error_before_anything_is_sent()
    {
        var sent = 0;
        var code = await RunAsync("check --dataset d --file /no/such/load.csv", _ => { sent++; return Accepted(); });

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal(0, sent);
        Assert.Contains("/no/such/load.csv", _error.ToString());
    }

    [Fact]
    public async Task A_source_turns_the_check_into_a_multipart_reconciliation()
    {
        HttpRequestMessage? submitted = null;
        string? body = null;
        var code = await RunAsync("check --dataset d --file FILE --source FILE --execution-date 2026-11-20", request =>
        {
            submitted = request;
            body = request.Content!.ReadAsStringAsync().Result;
            return Accepted();
        });

        Assert.Equal(ExitCodes.Passed, code);
        Assert.Equal("/api/datasets/d/reconciliations?executionDate=2026-11-20", submitted!.RequestUri!.PathAndQuery);
        Assert.Equal("multipart/form-data", submitted.Content!.Headers.ContentType!.MediaType);
        Assert.Contains("name=source", body);
        Assert.Contains("name=target", body);
        Assert.Equal(RunId.ToString(), _out.ToString().Trim());
    }

    [Fact]
    public async Task Bad_arguments_exit_2_with_usage_on_stderr()
    {
        var code = await RunAsync("check --dataset d", _ => Accepted());

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--file is required", _error.ToString());
        Assert.Contains("Exit codes:", _error.ToString());
    }

    public void Dispose() => File.Delete(_file);

    private sealed class FakeGateway(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = answer(request);
            response.RequestMessage = request;
            return Task.FromResult(response);
        }
    }
}
