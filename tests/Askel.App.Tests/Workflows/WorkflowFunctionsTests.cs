using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Askel.Runtime.Engine;
using Askel.Runtime.Store;
using Askel.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Askel.App.Tests.Workflows;

/// <summary>workflow-tick and workflow-work as the Functions host calls them.</summary>
public sealed class WorkflowFunctionsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private AskelAppFactory _app = null!;
    private HttpClient _host = null!;

    public async Task InitializeAsync()
    {
        _app = await AskelAppFactory.CreateAsync(output);
        _host = _app.CreateClient();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Tick_QueuesWorkOnlyForShardsWithDueWork_WorkFiresTheTimers()
    {
        var engine = _app.Services.GetRequiredService<WorkflowEngine>();
        await engine.StartAsync("form-chase-example", "p-1", [], CancellationToken.None);
        var queue = (await Azurite.AccountAsync()).CreateQueueClient(_app.StoragePrefix + "-work");

        var idle = await InvokeAsync("workflow-tick", new JsonObject { ["timer"] = new JsonObject { ["IsPastDue"] = false } });
        Assert.Equal("nothing due", idle.GetProperty("Logs")[0].GetString());

        _app.Time.Advance(TimeSpan.FromDays(3));
        await InvokeAsync("workflow-tick", new JsonObject { ["timer"] = new JsonObject { ["IsPastDue"] = false } });
        var work = Assert.Single((await queue.ReceiveMessagesAsync(32)).Value);
        Assert.Equal($$"""{"type":"shard","shard":"{{Shards.Of("p-1")}}"}""", work.Body.ToString());

        await InvokeAsync("workflow-work", new JsonObject { ["message"] = work.Body.ToString() });

        Assert.Equal(2, Directory.EnumerateFiles(Path.Combine(_app.DataPath, "outbox")).Count());
    }

    [Fact]
    public async Task Work_EventMessage_DeliversTheEvent()
    {
        var engine = _app.Services.GetRequiredService<WorkflowEngine>();
        await engine.StartAsync("form-chase-example", "p-1", [], CancellationToken.None);

        await InvokeAsync("workflow-work", new JsonObject
        {
            ["message"] = """{"type":"event","instanceId":"p-1","name":"form:example-feedback","eventId":"w-1","payload":{"filledBy":"participant"}}""",
        });

        Assert.Equal(InstanceStatus.Completed, (await engine.Store.LoadAsync("p-1", CancellationToken.None))!.State.Status);
    }

    [Theory]
    [InlineData("not json at all", "not valid JSON")]
    [InlineData("""{"type":"shard","shard":"s99"}""", "unknown shard")]
    [InlineData("""{"kind":"x"}""", "no \"type\"")]
    public async Task Work_UnreadableMessage_GoesToPoisonWithItsReasonAndSucceeds(string message, string reason)
    {
        var answer = await InvokeAsync("workflow-work", new JsonObject { ["message"] = message });

        Assert.Contains("moved to poison", answer.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        var poison = (await Azurite.AccountAsync()).CreateQueueClient(_app.StoragePrefix + "-work-poison");
        var moved = JsonNode.Parse(Assert.Single((await poison.ReceiveMessagesAsync(32)).Value).Body.ToString())!;
        Assert.Equal(message, moved["message"]!.GetValue<string>());
        Assert.Contains(reason, moved["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private async Task<JsonElement> InvokeAsync(string function, JsonObject data)
    {
        var payload = new JsonObject { ["Data"] = data, ["Metadata"] = new JsonObject() };
        using var response = await _host.PostAsync($"/{function}", new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
