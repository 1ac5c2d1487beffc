using Azure;
using Azure.Data.Tables;

namespace Askel.Runtime.Store;

/// <summary>
/// Sends one store's commits, and records its effect completions (the delete of a carried-out
/// effect's row) by letting them ride along in commits to the same shard: a commit's entity-group
/// transaction also deletes the effect rows of that shard that are waiting, up to its 100 actions.
/// A completion waits for a commit to its shard only while the store has other requests in flight,
/// for at most <see cref="RideWithin"/> of them and about <see cref="WaitAtMost"/>; then it goes
/// alone (a plain delete, or one transaction for the shard's waiting completions). With nothing
/// else in flight — an idle store, one caller at a time — a completion is sent at once, exactly as
/// a plain delete would be.
/// </summary>
/// <remarks>
/// Every caller still waits until its own write is stored: a completion is recorded before
/// <see cref="CompleteAsync"/> returns, never later, so a crash can repeat an effect only in the
/// same window as before — after it was carried out and before the request recording it. Commits
/// are never held back. A transaction is all or nothing: when a completion's delete fails (its row is
/// gone — another worker completed it) the commit is sent again without it; when the commit's own
/// action fails, that is the commit's answer and its riders wait for the next request.
/// </remarks>
internal sealed class ShardWriter(TableClient table, TimeProvider time)
{
    /// <summary>
    /// How many of the store's requests a waiting completion lets go by before it is sent alone.
    /// Twice the shards: a request goes to a given shard one time in 16, so most completions ride.
    /// </summary>
    internal const int RideWithin = 2 * Shards.Count;

    /// <summary>
    /// How long a completion waits for a ride at most (checked this often, so up to twice that):
    /// far inside the effect lease even when a request in flight hangs, so no other worker can
    /// take the lease of an effect that was carried out.
    /// </summary>
    internal static readonly TimeSpan WaitAtMost = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, List<PendingCompletion>> _waiting = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private int _inFlight;
    private long _answered;
    private ITimer? _timer;

    /// <summary>Commits one transition's actions together with waiting completions of the shard; returns storage's answer to the commit's own actions.</summary>
    /// <exception cref="TableTransactionFailedException">One of the commit's own actions failed (the index counts within <paramref name="actions"/>), or storage did not say which.</exception>
    public async Task<IReadOnlyList<Response>> CommitAsync(string shard, IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        List<IGrouping<string, PendingCompletion>> riders;
        lock (_lock)
        {
            riders = Take(shard, InstanceStore.MaxTransactionActions - actions.Count);
            _inFlight++;
        }

        try
        {
            while (true)
            {
                try
                {
                    var response = await table.SubmitTransactionAsync(
                        riders.Count == 0 ? actions : [.. actions, .. riders.Select(row => Delete(shard, row.Key))], cancellationToken);
                    riders.ForEach(Succeed);
                    return riders.Count == 0 ? response.Value : response.Value.Take(actions.Count).ToArray();
                }
                catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex is { } index && index >= actions.Count && index < actions.Count + riders.Count)
                {
                    // A rider's delete failed, so nothing was stored: settle it (a missing row was
                    // completed by another worker) and send the commit again without it.
                    var failed = riders[index - actions.Count];
                    riders.RemoveAt(index - actions.Count);
                    Settle(failed, e);
                }
                catch (TableTransactionFailedException)
                {
                    // The commit's own answer (most often a concurrent change); its riders were not
                    // stored and wait for the next request.
                    Requeue(shard, riders);
                    throw;
                }
                catch
                {
                    // Unknown outcome (a timeout, the commit's caller cancelling): the riders may or
                    // may not be stored; deleting again is harmless, so they wait for the next request.
                    Requeue(shard, riders);
                    throw;
                }
            }
        }
        finally
        {
            Answered();
        }
    }

    /// <summary>
    /// Deletes a carried-out effect's row, riding along in a commit to the shard when one comes soon;
    /// returns once the delete is stored. A row already gone counts as deleted.
    /// </summary>
    public Task CompleteAsync(string shard, string rowKey, CancellationToken cancellationToken)
    {
        var completion = new PendingCompletion(rowKey, cancellationToken);
        bool sendNow;
        lock (_lock)
        {
            completion.Since = _answered;
            completion.WaitingSince = time.GetTimestamp();
            Waiting(shard).Add(completion);
            sendNow = _inFlight == 0;
            if (!sendNow && _timer is null)
            {
                // Why suppress the flow: the timer outlives this caller and must not carry its context.
                using (ExecutionContext.SuppressFlow())
                {
                    _timer = time.CreateTimer(_ => SendOverdue(), null, WaitAtMost, WaitAtMost);
                }
            }
        }

        if (sendNow)
        {
            _ = SendAloneAsync(shard);
        }

        return completion.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Sends a shard's waiting completions without a commit: one plain delete, or one transaction of deletes.</summary>
    private async Task SendAloneAsync(string shard)
    {
        List<IGrouping<string, PendingCompletion>> rows;
        lock (_lock)
        {
            rows = Take(shard, InstanceStore.MaxTransactionActions);
            if (rows.Count == 0)
            {
                return; // a commit or another sender took them meanwhile
            }

            _inFlight++;
        }

        try
        {
            while (rows.Count > 0)
            {
                if (rows.Count == 1)
                {
                    try
                    {
                        await table.DeleteEntityAsync(shard, rows[0].Key, ETag.All, CancellationToken.None);
                        Succeed(rows[0]);
                    }
                    catch (Exception e)
                    {
                        Settle(rows[0], e);
                    }

                    return;
                }

                try
                {
                    await table.SubmitTransactionAsync(rows.Select(row => Delete(shard, row.Key)), CancellationToken.None);
                    rows.ForEach(Succeed);
                    return;
                }
                catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex is { } index && index >= 0 && index < rows.Count)
                {
                    var failed = rows[index];
                    rows.RemoveAt(index);
                    Settle(failed, e);
                }
                catch (Exception e)
                {
                    rows.ForEach(row => Fail(row, e));
                    return;
                }
            }
        }
        catch (Exception e)
        {
            // Not expected (every path above answers its callers), but no caller may wait forever.
            rows.ForEach(row => Fail(row, e));
        }
        finally
        {
            Answered();
        }
    }

    /// <summary>
    /// Counts an answered request and sends alone the completions that may not wait any longer:
    /// all of them when nothing is in flight any more, else those that let <see cref="RideWithin"/> requests go by.
    /// </summary>
    private void Answered()
    {
        List<string> due;
        lock (_lock)
        {
            _inFlight--;
            _answered++;
            due = _waiting
                .Where(shard => shard.Value.Count > 0 && (_inFlight == 0 || _answered - shard.Value[0].Since >= RideWithin))
                .Select(shard => shard.Key)
                .ToList();
        }

        foreach (var shard in due)
        {
            _ = SendAloneAsync(shard);
        }
    }

    /// <summary>Sends alone the completions that waited <see cref="WaitAtMost"/>; stops the timer when none wait.</summary>
    private void SendOverdue()
    {
        List<string> due;
        lock (_lock)
        {
            var now = time.GetTimestamp();
            due = _waiting
                .Where(shard => shard.Value.Count > 0 && time.GetElapsedTime(shard.Value.Min(c => c.WaitingSince), now) >= WaitAtMost)
                .Select(shard => shard.Key)
                .ToList();
            if (_waiting.Values.All(waiting => waiting.Count == 0))
            {
                _timer?.Dispose();
                _timer = null;
            }
        }

        foreach (var shard in due)
        {
            _ = SendAloneAsync(shard);
        }
    }

    /// <summary>
    /// Takes up to <paramref name="room"/> distinct rows of the shard's waiting completions, oldest
    /// first (under the lock). Two completions of one row share its delete: an entity may appear
    /// once in a transaction.
    /// </summary>
    private List<IGrouping<string, PendingCompletion>> Take(string shard, int room)
    {
        if (!_waiting.TryGetValue(shard, out var waiting) || waiting.Count == 0 || room <= 0)
        {
            return [];
        }

        var taken = new List<PendingCompletion>();
        var rows = new HashSet<string>(StringComparer.Ordinal);
        var kept = 0;
        for (var i = 0; i < waiting.Count; i++)
        {
            var completion = waiting[i];
            if (completion.Cancellation.IsCancellationRequested)
            {
                completion.Done.TrySetCanceled(completion.Cancellation);
            }
            else if (rows.Contains(completion.RowKey) || rows.Count < room)
            {
                rows.Add(completion.RowKey);
                taken.Add(completion);
            }
            else
            {
                waiting[kept++] = completion;
            }
        }

        waiting.RemoveRange(kept, waiting.Count - kept);
        return taken.GroupBy(c => c.RowKey, StringComparer.Ordinal).ToList();
    }

    /// <summary>Puts riders back at the front of the shard's waiting completions (a commit they rode on failed).</summary>
    private void Requeue(string shard, List<IGrouping<string, PendingCompletion>> riders)
    {
        if (riders.Count == 0)
        {
            return;
        }

        lock (_lock)
        {
            Waiting(shard).InsertRange(0, riders.SelectMany(row => row));
        }
    }

    /// <summary>The shard's waiting completions, an empty list the first time (under the lock).</summary>
    private List<PendingCompletion> Waiting(string shard) =>
        _waiting.TryGetValue(shard, out var waiting) ? waiting : _waiting[shard] = [];

    private static TableTransactionAction Delete(string shard, string rowKey) =>
        new(TableTransactionActionType.Delete, new TableEntity(shard, rowKey), ETag.All);

    /// <summary>A completion whose delete failed: a missing row was completed by another worker; anything else is the caller's error.</summary>
    private static void Settle(IEnumerable<PendingCompletion> row, Exception e)
    {
        if (e is RequestFailedException { Status: 404 })
        {
            Succeed(row);
        }
        else
        {
            Fail(row, e);
        }
    }

    private static void Succeed(IEnumerable<PendingCompletion> row)
    {
        foreach (var completion in row)
        {
            completion.Done.TrySetResult();
        }
    }

    private static void Fail(IEnumerable<PendingCompletion> row, Exception e)
    {
        foreach (var completion in row)
        {
            completion.Done.TrySetException(e);
        }
    }

    private sealed class PendingCompletion(string rowKey, CancellationToken cancellation)
    {
        public string RowKey => rowKey;

        public CancellationToken Cancellation => cancellation;

        /// <summary>How many requests the store had had answered when this completion arrived.</summary>
        public long Since { get; set; }

        /// <summary>When it arrived (<see cref="TimeProvider.GetTimestamp"/>).</summary>
        public long WaitingSince { get; set; }

        // Why asynchronous continuations: a caller must not run its own work inside a sender.
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
