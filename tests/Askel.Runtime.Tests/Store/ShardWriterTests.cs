using Askel.Runtime.Store;
using Askel.Testing;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;

namespace Askel.Runtime.Tests.Store;

/// <summary>
/// Effect completions ride along in commits to their shard while other requests are in flight, and
/// every caller returns only once its own write is stored.
/// </summary>
public sealed class ShardWriterTests
{
    private const string Shard = "s00";
    private const string OtherShard = "s01";
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task CompletionWithNothingInFlight_IsOnePlainDeleteAtOnce()
    {
        var f = await Fixture.CreateAsync();
        await f.AddAsync(Shard, "x|p-1|e1");

        await f.Writer.CompleteAsync(Shard, "x|p-1|e1", None);

        Assert.False(await f.ExistsAsync(Shard, "x|p-1|e1"));
        Assert.Equal(["DELETE"], f.Requests.Requests);
    }

    [Fact]
    public async Task CompletionWithNothingInFlight_RowAlreadyGone_CountsAsDone()
    {
        var f = await Fixture.CreateAsync();

        await f.Writer.CompleteAsync(Shard, "x|p-1|gone", None);

        Assert.Equal(["DELETE"], f.Requests.Requests);
    }

    [Fact]
    public async Task CompletionWhileAnotherRequestIsInFlight_RidesInTheNextCommitToItsShard()
    {
        var f = await Fixture.CreateAsync();
        await f.AddAsync(Shard, "x|p-1|e1");
        var inFlight = await f.RequestInFlightAsync();

        var completion = f.Writer.CompleteAsync(Shard, "x|p-1|e1", None);
        Assert.False(completion.IsCompleted); // waiting for a ride, not sent
        Assert.True(await f.ExistsAsync(Shard, "x|p-1|e1"));

        var answer = await f.Writer.CommitAsync(Shard, [Add(Shard, "a|p-2"), Add(Shard, "b|p-2|0")], None);

        await completion;
        Assert.Equal(2, answer.Count); // the commit's own answers only
        Assert.False(await f.ExistsAsync(Shard, "x|p-1|e1"));
        Assert.True(await f.ExistsAsync(Shard, "a|p-2"));
        Assert.DoesNotContain("DELETE", f.Requests.Requests);

        await inFlight.ReleaseAsync();
    }

    [Fact]
    public async Task RiderWhoseRowIsGone_CommitIsStoredAnywayAndTheCompletionCountsAsDone()
    {
        var f = await Fixture.CreateAsync();
        var inFlight = await f.RequestInFlightAsync();
        var completion = f.Writer.CompleteAsync(Shard, "x|p-1|gone", None);

        await f.Writer.CommitAsync(Shard, [Add(Shard, "a|p-2")], None);

        await completion;
        Assert.True(await f.ExistsAsync(Shard, "a|p-2"));
        await inFlight.ReleaseAsync();
    }

    [Fact]
    public async Task CommitThatFails_GetsItsOwnFailure_ItsRidersAreStoredLater()
    {
        var f = await Fixture.CreateAsync();
        await f.AddAsync(Shard, "x|p-1|e1");
        await f.AddAsync(Shard, "a|p-2");
        var inFlight = await f.RequestInFlightAsync();
        var completion = f.Writer.CompleteAsync(Shard, "x|p-1|e1", None);

        var failure = await Assert.ThrowsAsync<TableTransactionFailedException>(
            () => f.Writer.CommitAsync(Shard, [Add(Shard, "a|p-2"), Add(Shard, "b|p-2|0")], None));

        Assert.Equal((409, 0), (failure.Status, failure.FailedTransactionActionIndex));
        Assert.False(completion.IsCompleted);
        Assert.True(await f.ExistsAsync(Shard, "x|p-1|e1"));

        await inFlight.ReleaseAsync(); // nothing in flight any more: the completion goes alone
        await completion;
        Assert.False(await f.ExistsAsync(Shard, "x|p-1|e1"));
    }

    [Fact]
    public async Task WaitingCompletion_GoesAloneOnceEnoughOtherRequestsWereAnswered()
    {
        var f = await Fixture.CreateAsync();
        await f.AddAsync(Shard, "x|p-1|e1");
        var inFlight = await f.RequestInFlightAsync("a|q-0");
        var completion = f.Writer.CompleteAsync(Shard, "x|p-1|e1", None);

        for (var i = 1; i < ShardWriter.RideWithin; i++)
        {
            await f.Writer.CommitAsync(OtherShard, [Add(OtherShard, $"a|q-{i}")], None);
            Assert.False(completion.IsCompleted);
        }

        await f.Writer.CommitAsync(OtherShard, [Add(OtherShard, "a|q-last")], None);
        await completion; // sent alone although a request is still in flight
        Assert.False(await f.ExistsAsync(Shard, "x|p-1|e1"));
        Assert.Contains("DELETE", f.Requests.Requests);

        await inFlight.ReleaseAsync();
    }

    [Fact]
    public async Task WaitingCompletion_GoesAloneAfterWaitAtMost_EvenWhileARequestHangs()
    {
        var f = await Fixture.CreateAsync();
        await f.AddAsync(Shard, "x|p-1|e1");
        var inFlight = await f.RequestInFlightAsync("a|q-0");
        var completion = f.Writer.CompleteAsync(Shard, "x|p-1|e1", None);

        f.Time.Advance(ShardWriter.WaitAtMost - TimeSpan.FromMilliseconds(1));
        Assert.False(completion.IsCompleted);
        f.Time.Advance(ShardWriter.WaitAtMost);

        await completion;
        Assert.False(await f.ExistsAsync(Shard, "x|p-1|e1"));
        await inFlight.ReleaseAsync();
    }

    [Fact]
    public async Task MoreCompletionsThanATransactionHolds_TheCommitTakesWhatFits_TheRestFollow()
    {
        var f = await Fixture.CreateAsync();
        var rows = Enumerable.Range(0, 130).Select(i => $"x|p-{i:D3}|e1").ToArray();
        foreach (var chunk in rows.Chunk(100))
        {
            await f.AddAllAsync(Shard, chunk);
        }

        var inFlight = await f.RequestInFlightAsync();
        var completions = rows.Select(row => f.Writer.CompleteAsync(Shard, row, None)).ToArray();

        await f.Writer.CommitAsync(Shard, [Add(Shard, "a|p-2")], None);

        Assert.Equal(99, completions.Count(c => c.IsCompletedSuccessfully));
        await inFlight.ReleaseAsync(); // nothing in flight any more: the rest go alone
        await Task.WhenAll(completions);
        foreach (var row in rows)
        {
            Assert.False(await f.ExistsAsync(Shard, row));
        }
    }

    [Fact]
    public async Task TwoCompletionsOfOneRow_ShareItsDelete()
    {
        var f = await Fixture.CreateAsync();
        await f.AddAsync(Shard, "x|p-1|e1");
        var inFlight = await f.RequestInFlightAsync();
        var first = f.Writer.CompleteAsync(Shard, "x|p-1|e1", None);
        var second = f.Writer.CompleteAsync(Shard, "x|p-1|e1", None);

        await f.Writer.CommitAsync(Shard, [Add(Shard, "a|p-2")], None);

        await Task.WhenAll(first, second);
        Assert.False(await f.ExistsAsync(Shard, "x|p-1|e1"));
        await inFlight.ReleaseAsync();
    }

    private static TableTransactionAction Add(string shard, string rowKey) =>
        new(TableTransactionActionType.Add, new TableEntity(shard, rowKey) { ["Value"] = rowKey });

    private sealed class Fixture
    {
        private readonly TableClient _plain;

        private Fixture(TableClient plain, TableClient observed, RequestLog requests)
        {
            _plain = plain;
            Requests = requests;
            Writer = new ShardWriter(observed, Time);
        }

        public FakeTimeProvider Time { get; } = new();

        public ShardWriter Writer { get; }

        public RequestLog Requests { get; }

        public static async Task<Fixture> CreateAsync()
        {
            var account = await Azurite.AccountAsync();
            var name = Azurite.UniqueName("w");
            var requests = new RequestLog();
            var options = new TableClientOptions();
            options.AddPolicy(requests, HttpPipelinePosition.PerCall);
            var fixture = new Fixture(new TableClient(account.ConnectionString, name), new TableClient(account.ConnectionString, name, options), requests);
            await fixture._plain.CreateAsync();
            return fixture;
        }

        public Task AddAsync(string shard, string rowKey) => _plain.AddEntityAsync(new TableEntity(shard, rowKey));

        public Task AddAllAsync(string shard, IEnumerable<string> rowKeys) =>
            _plain.SubmitTransactionAsync(rowKeys.Select(rowKey => Add(shard, rowKey)));

        public async Task<bool> ExistsAsync(string shard, string rowKey) => (await _plain.GetEntityIfExistsAsync<TableEntity>(shard, rowKey)).HasValue;

        /// <summary>
        /// A commit to <see cref="OtherShard"/> kept in flight (its request waits at the door) until
        /// <see cref="InFlight.ReleaseAsync"/>; returns once it is on its way.
        /// </summary>
        public async Task<InFlight> RequestInFlightAsync(string rowKey = "a|q-1")
        {
            var held = Requests.HoldNext();
            var commit = Writer.CommitAsync(OtherShard, [Add(OtherShard, rowKey)], None);
            await held.Reached;
            return new InFlight(held, commit);
        }
    }

    /// <summary>A commit held in flight by <see cref="Fixture.RequestInFlightAsync"/>.</summary>
    private sealed class InFlight(Hold held, Task commit)
    {
        /// <summary>Lets the held request through and waits for its commit.</summary>
        public async Task ReleaseAsync()
        {
            held.Release();
            await commit;
        }
    }

    /// <summary>A request kept in flight: <see cref="Reached"/> once it is on its way, stored only after <see cref="Release"/>.</summary>
    private sealed class Hold
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => _reached.Task;

        public Task Released => _released.Task;

        public void Release() => _released.TrySetResult();

        public void Reach() => _reached.TrySetResult();
    }

    /// <summary>Records each request's method (after any held one), and can hold one request in flight.</summary>
    private sealed class RequestLog : HttpPipelinePolicy
    {
        private readonly Lock _lock = new();
        private readonly List<string> _requests = [];
        private Hold? _next;

        public IReadOnlyList<string> Requests
        {
            get
            {
                lock (_lock)
                {
                    return _requests.ToArray();
                }
            }
        }

        public Hold HoldNext()
        {
            var hold = new Hold();
            lock (_lock)
            {
                _next = hold;
            }

            return hold;
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The writer only makes asynchronous calls.");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Hold? hold;
            lock (_lock)
            {
                (hold, _next) = (_next, null);
            }

            if (hold is not null)
            {
                hold.Reach();
                await hold.Released;
            }
            else
            {
                lock (_lock)
                {
                    _requests.Add(message.Request.Method.ToString());
                }
            }

            await ProcessNextAsync(message, pipeline);
        }
    }
}
