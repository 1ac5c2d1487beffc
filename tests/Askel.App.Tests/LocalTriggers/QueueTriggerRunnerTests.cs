using Askel.App.CustomHandler;
using Askel.App.LocalTriggers;
using Askel.Testing;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Askel.App.Tests.LocalTriggers;

public sealed class QueueTriggerRunnerTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _queueName = Azurite.UniqueName("q");
    private FunctionAppFolder _folder = null!;
    private QueueClient _queue = null!;
    private QueueClient _poison = null!;
    private AskelAppFactory? _app;

    public async Task InitializeAsync()
    {
        _folder = new FunctionAppFolder().With("work", FunctionAppFolder.Queue(_queueName));
        var account = await Azurite.AccountAsync();
        _queue = account.CreateQueueClient(_queueName);
        _poison = account.CreateQueueClient(_queueName + "-poison");
        await _queue.CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _folder.Dispose();
    }

    [Fact]
    public async Task ProcessBatch_FunctionSucceeds_PassesMessageAndMetadataThenDeletesIt()
    {
        var work = new RecordingHandler("work");
        var runner = await RunnerAsync(work);
        await _queue.SendMessageAsync("""{"instance":"p-1"}""");

        Assert.Equal(1, await runner.ProcessBatchAsync(CancellationToken.None));

        var request = Assert.Single(work.Invocations);
        Assert.Equal("""{"instance":"p-1"}""", request.DataText("message"));
        Assert.Equal(1, request.Metadata["DequeueCount"].GetInt64());
        Assert.False(string.IsNullOrEmpty(request.Metadata["Id"].GetString()));
        Assert.Equal(0, (await _queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task ProcessBatch_FunctionKeepsFailing_RetriedFiveTimesThenMovedToPoison()
    {
        var work = new RecordingHandler("work", fail: true);
        var runner = await RunnerAsync(work);
        await _queue.SendMessageAsync("doomed");

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            Assert.Equal(1, await runner.ProcessBatchAsync(CancellationToken.None));
        }

        Assert.Equal([1L, 2L, 3L, 4L, 5L], work.Invocations.Select(i => i.Metadata["DequeueCount"].GetInt64()));
        Assert.Equal(0, await runner.ProcessBatchAsync(CancellationToken.None));
        Assert.Equal(0, (await _queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        var poisoned = Assert.Single((await _poison.ReceiveMessagesAsync(32)).Value);
        Assert.Equal("doomed", poisoned.Body.ToString());
        Assert.Contains(_app!.Logs.Lines, line => line.Contains("failed 5 time(s) and moved to " + _queueName + "-poison", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProcessBatch_MessageAlreadyPastMaxDequeueCount_GoesToPoisonWithoutRunning()
    {
        var work = new RecordingHandler("work");
        var runner = await RunnerAsync(work);
        await _queue.SendMessageAsync("crashed-five-times");
        for (var i = 0; i < 5; i++)
        {
            // A process that dies mid-run leaves the message to reappear with one more dequeue.
            var taken = (await _queue.ReceiveMessageAsync()).Value;
            await _queue.UpdateMessageAsync(taken.MessageId, taken.PopReceipt, visibilityTimeout: TimeSpan.Zero);
        }

        await runner.ProcessBatchAsync(CancellationToken.None);

        Assert.Empty(work.Invocations);
        Assert.Equal("crashed-five-times", Assert.Single((await _poison.ReceiveMessagesAsync(32)).Value).Body.ToString());
    }

    [Fact]
    public async Task RunAsync_MessageWaiting_ProcessedByThePollLoop()
    {
        var work = new RecordingHandler("work");
        var runner = await RunnerAsync(work);
        await _queue.SendMessageAsync("first");
        using var stop = new CancellationTokenSource();

        var loop = runner.RunAsync(stop.Token);

        Assert.Equal("first", (await work.NextAsync()).DataText("message"));
        await stop.CancelAsync();
        try
        {
            await loop.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
            // Cancelled mid-wait: as good as ending between polls.
        }

        Assert.True(loop.IsCompleted);
    }

    private async Task<QueueTriggerRunner> RunnerAsync(RecordingHandler handler)
    {
        _app = await AskelAppFactory.CreateAsync(output, _folder.Root, handler);
        var manifest = FunctionManifest.Load(_folder.Root);
        var account = await Azurite.AccountAsync();
        // Retry at once instead of after host.json's visibilityTimeout: Azurite hides messages on the wall clock.
        var settings = manifest.Host.Queues with { VisibilityTimeout = TimeSpan.Zero };
        return new QueueTriggerRunner(
            manifest.Functions.Single(f => f.Name == "work"), account.CreateQueueClient, settings,
            new FunctionInvoker(_app.CreateClient(), NullLogger<FunctionInvoker>.Instance), _app.Time, _app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("test"));
    }
}
