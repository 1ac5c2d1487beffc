using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Askel.App.Tests.CustomHandler;

public sealed class FunctionInvocationEndpointsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly FunctionAppFolder _folder = new FunctionAppFolder().With("echo", FunctionAppFolder.Queue("echo-items")).With("broken", FunctionAppFolder.Queue("broken-items"));
    private readonly RecordingHandler _echo = new("echo");
    private AskelAppFactory _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _app = await AskelAppFactory.CreateAsync(output, _folder.Root, _echo, new RecordingHandler("broken", fail: true));
        _client = _app.CreateClient();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Post_HostPayload_PassesDataAndMetadataAndAnswersOutputsLogsReturnValue()
    {
        using var response = await _client.PostAsync("/echo", Json("""{"Data":{"message":"hello"},"Metadata":{"DequeueCount":2,"Id":"m-1"}}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.Object, body.RootElement.GetProperty("Outputs").ValueKind);
        Assert.Equal("echo ran", body.RootElement.GetProperty("Logs")[0].GetString());
        Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("ReturnValue").ValueKind);
        var request = Assert.Single(_echo.Invocations);
        Assert.Equal("hello", request.DataText("message"));
        Assert.Equal(2, request.Metadata["DequeueCount"].GetInt32());
        Assert.Equal("m-1", request.Metadata["id"].GetString());
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("[1,2]", "must be a JSON object")]
    [InlineData("""{"Metadata":{}}""", "\"Data\" is missing")]
    [InlineData("""{"Data":"text"}""", "\"Data\" is missing or not an object")]
    [InlineData("""{"Data":{},"Metadata":[1]}""", "\"Metadata\" must be an object")]
    public async Task Post_MalformedPayload_Returns400WithReasonAndLogLine(string body, string reason)
    {
        using var response = await _client.PostAsync("/echo", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(reason, error.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(_echo.Invocations);
        Assert.Contains(_app.Logs.Lines, line => line.Contains("Invocation of echo rejected", StringComparison.Ordinal) && line.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_BodyOverOneMebibyte_Returns400WithoutRunning()
    {
        var huge = new string('x', 1024 * 1024 + 1);
        using var response = await _client.PostAsync("/echo", Json("{\"Data\":{\"message\":\"" + huge + "\"}}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_echo.Invocations);
    }

    [Fact]
    public async Task Post_HandlerThrows_Returns500WithTheReasonInLogs()
    {
        using var response = await _client.PostAsync("/broken", Json("""{"Data":{"message":"x"},"Metadata":{}}"""));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("told to fail", body.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_UnknownFunction_Returns404()
    {
        using var response = await _client.PostAsync("/no-such-function", Json("""{"Data":{}}"""));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
