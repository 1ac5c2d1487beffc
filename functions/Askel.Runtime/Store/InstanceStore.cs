using System.Runtime.CompilerServices;
using System.Text.Json;
using Askel.Runtime.Engine;
using Azure;
using Azure.Data.Tables;

namespace Askel.Runtime.Store;

/// <summary>An instance as read, with the ETag its next commit must match.</summary>
public sealed record LoadedInstance(InstanceState State, ETag ETag)
{
    /// <summary>
    /// True when it came from this process's cache of its own last write, not from storage: only a
    /// commit (guarded by the ETag) may rely on it; any other conclusion must be checked against storage.
    /// </summary>
    public bool FromCache { get; init; }
}

/// <summary>Something due in a shard: a timer to fire or an effect whose dispatch is unconfirmed.</summary>
public abstract record DueWork(string InstanceId);

/// <summary>A timer row whose time has come.</summary>
public sealed record DueTimer(string InstanceId, string TimerId, string RowKey) : DueWork(InstanceId);

/// <summary>An effect still pending after its lease ran out (its dispatcher died or failed).</summary>
public sealed record DueEffect(string InstanceId, Effect Effect, DateTimeOffset LeaseUntil, ETag ETag) : DueWork(InstanceId);

/// <summary>
/// Instances in Table Storage. Everything of one instance lives in its shard's partition, so a
/// transition — state, new history, timer changes, effects — commits in one entity-group transaction
/// guarded by the state row's ETag: all of it or none of it, and never over someone else's change.
/// </summary>
/// <param name="table">The instances table.</param>
/// <param name="stateCacheCapacity">How many instances' last written state this store keeps in memory.</param>
/// <param name="waitClock">
/// Bounds how long an effect completion waits to ride along in another commit (real time; default
/// <see cref="TimeProvider.System"/>, also under a virtual workflow clock).
/// </param>
public sealed class InstanceStore(TableClient table, int stateCacheCapacity = InstanceStore.DefaultStateCacheCapacity, TimeProvider? waitClock = null)
{
    /// <summary>History entries kept per instance; older ones are dropped as new ones come.</summary>
    public const int HistoryLimit = 200;

    /// <summary>How many instances' last written state a store keeps in memory by default.</summary>
    public const int DefaultStateCacheCapacity = 10_000;

    /// <summary>The most actions one entity-group transaction holds.</summary>
    internal const int MaxTransactionActions = 100;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Why: a transition otherwise starts with a point read of a row this process usually wrote
    // itself moments ago (events and timers of one instance tend to reach the same worker). Keeping
    // that write saves one storage round trip per transition; the ETag check keeps it safe.
    private readonly StateCache _cache = new(stateCacheCapacity);

    // Why: a separate delete per carried-out effect was half of a transition's storage requests;
    // under load it rides along in another commit to the same shard instead (see ShardWriter).
    private readonly ShardWriter _writer = new(table, waitClock ?? TimeProvider.System);

    /// <summary>The table.</summary>
    public TableClient Table => table;

    /// <summary>Creates the table if needed.</summary>
    public Task CreateAsync(CancellationToken cancellationToken) => table.CreateIfNotExistsAsync(cancellationToken);

    /// <summary>Reads an instance, or null when there is none.</summary>
    public async Task<LoadedInstance?> LoadAsync(string instanceId, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(Shards.Of(instanceId), RowKeys.Instance(instanceId), cancellationToken: cancellationToken);
        if (!response.HasValue)
        {
            return null;
        }

        var entity = response.Value!;
        var state = JsonSerializer.Deserialize<InstanceState>(ChunkedText.Read(entity, "State"), Json)!;
        return new LoadedInstance(state, entity.ETag);
    }

    /// <summary>
    /// Reads an instance to change it: from this process's last write of it when cached (marked
    /// <see cref="LoadedInstance.FromCache"/>), else from storage. The commit's ETag check catches a
    /// stale entry; a caller that decides anything without committing must use <see cref="LoadAsync"/>.
    /// </summary>
    public Task<LoadedInstance?> LoadForUpdateAsync(string instanceId, CancellationToken cancellationToken)
    {
        if (_cache.TryGet(instanceId, out var json, out var etag))
        {
            // A fresh object per call: the interpreter changes state in place.
            var state = JsonSerializer.Deserialize<InstanceState>(json, Json)!;
            return Task.FromResult<LoadedInstance?>(new LoadedInstance(state, etag) { FromCache = true });
        }

        return LoadAsync(instanceId, cancellationToken);
    }

    /// <summary>Drops an instance's cached state, so its next load reads storage.</summary>
    public void Forget(string instanceId) => _cache.Remove(instanceId);

    /// <summary>
    /// Commits a transition atomically. <paramref name="before"/> is null for a new instance.
    /// </summary>
    /// <exception cref="ConcurrencyException">Another writer changed the instance (or created it) first: load and apply again.</exception>
    public async Task CommitAsync(
        LoadedInstance? before, IReadOnlyList<DurableTimer> timersBefore, InstanceState after, TransitionResult transition, DateTimeOffset effectLeaseUntil, CancellationToken cancellationToken)
    {
        var shard = Shards.Of(after.Id);
        var actions = new List<TableTransactionAction>();

        // One history row per transition (its entries together), so a transition writes the fewest rows.
        if (transition.History.Count > 0)
        {
            var row = new TableEntity(shard, RowKeys.History(after.Id, transition.History[0].Sequence));
            ChunkedText.Write(row, "Entries", JsonSerializer.Serialize(transition.History, Json));
            actions.Add(new(TableTransactionActionType.Add, row));
            after.HistoryRows.Add(transition.History[0].Sequence);
        }

        // Bound the history: whole rows of the oldest transitions go, the newest row always stays.
        while (after.HistoryRows.Count > 1 && after.HistoryNext - after.HistoryRows[0] > HistoryLimit)
        {
            actions.Add(new(TableTransactionActionType.Delete, new TableEntity(shard, RowKeys.History(after.Id, after.HistoryRows[0])), ETag.All));
            after.HistoryRows.RemoveAt(0);
        }

        var stateEntity = StateEntity(shard, after, out var stateJson);
        actions.Insert(0, before is null
            ? new TableTransactionAction(TableTransactionActionType.Add, stateEntity)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, stateEntity, before.ETag));

        var afterIds = after.Timers.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var beforeIds = timersBefore.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in timersBefore.Where(t => !afterIds.Contains(t.Id)))
        {
            actions.Add(new(TableTransactionActionType.Delete, new TableEntity(shard, RowKeys.Timer(after.Id, gone.Due, gone.Id)), ETag.All));
        }

        foreach (var added in after.Timers.Where(t => !beforeIds.Contains(t.Id)))
        {
            actions.Add(new(TableTransactionActionType.Add, new TableEntity(shard, RowKeys.Timer(after.Id, added.Due, added.Id))
            {
                ["InstanceId"] = after.Id,
                ["TimerId"] = added.Id,
                ["Due"] = added.Due,
            }));
        }

        foreach (var effect in transition.Effects)
        {
            actions.Add(new(TableTransactionActionType.Add, EffectEntity(shard, effect, effectLeaseUntil)));
        }

        if (actions.Count > MaxTransactionActions)
        {
            throw new InstanceTooLargeException($"One transition of {after.Id} needs {actions.Count} storage actions; at most {MaxTransactionActions} commit together.");
        }

        IReadOnlyList<Response> committed;
        try
        {
            committed = await _writer.CommitAsync(shard, actions, cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412 || (e.Status == 404 && (e.FailedTransactionActionIndex is > 0 || before?.FromCache == true)))
        {
            // Why 404 with a cached before: the instance was purged since this process last wrote it,
            // so the cache was stale; a retry from storage finds it gone.
            _cache.Remove(after.Id);
            throw new ConcurrencyException(after.Id, e);
        }
        catch
        {
            // Unknown outcome (a timeout may still have committed): the next transition reads storage.
            _cache.Remove(after.Id);
            throw;
        }

        // Why: storage answers each action of a transaction with its new ETag; keeping it with the
        // JSON just written lets the next transition of this instance skip its point read.
        if (committed.Count > 0 && committed[0].Headers.ETag is { } etag)
        {
            _cache.Set(after.Id, stateJson, etag);
        }
        else
        {
            _cache.Remove(after.Id);
        }
    }

    /// <summary>An instance's stored history, oldest first.</summary>
    public async Task<IReadOnlyList<HistoryEntry>> HistoryAsync(string instanceId, CancellationToken cancellationToken)
    {
        var history = new List<HistoryEntry>();
        var start = RowKeys.HistoryStart(instanceId);
        await foreach (var row in RowsStartingWith(instanceId, start, select: null, cancellationToken))
        {
            history.AddRange(JsonSerializer.Deserialize<HistoryEntry[]>(ChunkedText.Read(row, "Entries"), Json)!);
        }

        return history;
    }

    /// <summary>An instance's effects not yet confirmed as carried out.</summary>
    public async Task<IReadOnlyList<DueEffect>> PendingEffectsAsync(string instanceId, CancellationToken cancellationToken)
    {
        var start = RowKeys.EffectStart(instanceId);
        var effects = new List<DueEffect>();
        await foreach (var row in RowsStartingWith(instanceId, start, select: null, cancellationToken))
        {
            effects.Add(ReadEffect(row));
        }

        return effects;
    }

    /// <summary>
    /// Everything due in a shard at <paramref name="now"/>: timers due by then, and pending effects
    /// whose lease has run out. One range query.
    /// </summary>
    public async IAsyncEnumerable<DueWork> DueAsync(string shard, DateTimeOffset now, int max, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var until = RowKeys.TimersDueBy(now);
        var count = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(
            e => e.PartitionKey == shard && e.RowKey.CompareTo(RowKeys.EffectPrefix) >= 0 && e.RowKey.CompareTo(until) <= 0, maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken))
        {
            if (row.RowKey.StartsWith(RowKeys.TimerPrefix, StringComparison.Ordinal))
            {
                yield return new DueTimer(row.GetString("InstanceId"), row.GetString("TimerId"), row.RowKey);
            }
            else if (ReadEffect(row) is { } effect && effect.LeaseUntil <= now)
            {
                yield return effect;
            }
            else
            {
                continue;
            }

            if (++count >= max)
            {
                yield break;
            }
        }
    }

    /// <summary>Takes the lease on a pending effect; false when another worker holds or took it.</summary>
    public async Task<bool> ClaimEffectAsync(DueEffect effect, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        var entity = EffectEntity(Shards.Of(effect.InstanceId), effect.Effect, leaseUntil);
        try
        {
            await table.UpdateEntityAsync(entity, effect.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>
    /// Records that an effect was carried out (removes it from pending); returns once that is stored.
    /// A row already gone was completed by another worker. While this store has other requests in
    /// flight, the delete waits to ride along in a commit to the same shard instead of costing a request.
    /// </summary>
    public Task CompleteEffectAsync(Effect effect, CancellationToken cancellationToken) =>
        _writer.CompleteAsync(Shards.Of(effect.InstanceId), RowKeys.Effect(effect.InstanceId, effect.Id), cancellationToken);

    /// <summary>Removes a timer row that no instance state refers to any more.</summary>
    public async Task DeleteStaleTimerAsync(DueTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(Shards.Of(timer.InstanceId), timer.RowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Gone already.
        }
    }

    /// <summary>Deletes every row of an instance — state, history, timers, pending effects. False when it did not exist.</summary>
    public async Task<bool> PurgeAsync(string instanceId, CancellationToken cancellationToken)
    {
        _cache.Remove(instanceId);
        var loaded = await LoadAsync(instanceId, cancellationToken);
        if (loaded is null)
        {
            return false;
        }

        var shard = Shards.Of(instanceId);
        var keys = new List<string> { RowKeys.Instance(instanceId) };
        keys.AddRange(loaded.State.Timers.Select(t => RowKeys.Timer(instanceId, t.Due, t.Id)));
        foreach (var prefix in new[] { RowKeys.HistoryStart(instanceId), RowKeys.EffectStart(instanceId) })
        {
            await foreach (var row in RowsStartingWith(instanceId, prefix, ["RowKey"], cancellationToken))
            {
                keys.Add(row.RowKey);
            }
        }

        // The state row goes last: until it is gone, a retried purge can still find everything else.
        keys.Reverse();
        foreach (var batch in keys.Chunk(MaxTransactionActions))
        {
            await table.SubmitTransactionAsync(
                batch.Select(key => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(shard, key), ETag.All)), cancellationToken);
        }

        _cache.Remove(instanceId); // again: a transition committed meanwhile may have cached it
        return true;
    }

    /// <summary>Instances matching a filter, across all shards (newest first, at most <paramref name="top"/>).</summary>
    public async Task<IReadOnlyList<InstanceState>> QueryAsync(InstanceStatus? status, string? workflow, DateTimeOffset? createdFrom, DateTimeOffset? createdTo, int top, CancellationToken cancellationToken)
    {
        var filter = $"RowKey ge '{RowKeys.InstancePrefix}' and RowKey lt '{RowKeys.End(RowKeys.InstancePrefix)}'";
        if (status is not null)
        {
            filter += TableClient.CreateQueryFilter($" and Status eq {status.ToString()}");
        }

        if (workflow is not null)
        {
            filter += TableClient.CreateQueryFilter($" and Workflow eq {workflow}");
        }

        if (createdFrom is not null)
        {
            filter += TableClient.CreateQueryFilter($" and CreatedAt ge {createdFrom.Value}");
        }

        if (createdTo is not null)
        {
            filter += TableClient.CreateQueryFilter($" and CreatedAt lt {createdTo.Value}");
        }

        var perShard = await Task.WhenAll(Shards.All.Select(async shard =>
        {
            var found = new List<InstanceState>();
            await foreach (var row in table.QueryAsync<TableEntity>($"PartitionKey eq '{shard}' and {filter}", maxPerPage: Math.Min(top, 1000), cancellationToken: cancellationToken))
            {
                found.Add(JsonSerializer.Deserialize<InstanceState>(ChunkedText.Read(row, "State"), Json)!);
                if (found.Count >= top)
                {
                    break;
                }
            }

            return found;
        }));
        return perShard.SelectMany(s => s).OrderByDescending(s => s.CreatedAt).Take(top).ToArray();
    }

    /// <summary>An instance's rows whose key starts with <paramref name="prefix"/> (which ends in '|', so '~' bounds it).</summary>
    private Azure.AsyncPageable<TableEntity> RowsStartingWith(string instanceId, string prefix, IEnumerable<string>? select, CancellationToken cancellationToken) =>
        table.QueryAsync<TableEntity>(
            e => e.PartitionKey == Shards.Of(instanceId) && e.RowKey.CompareTo(prefix) >= 0 && e.RowKey.CompareTo(prefix + "~") < 0, select: select, cancellationToken: cancellationToken);

    private static TableEntity StateEntity(string shard, InstanceState state, out string json)
    {
        var entity = new TableEntity(shard, RowKeys.Instance(state.Id))
        {
            ["Workflow"] = state.Workflow,
            ["Version"] = state.Version,
            ["Status"] = state.Status.ToString(),
            ["Step"] = state.Step,
            ["Awaiting"] = state.Awaiting,
            ["NextDue"] = state.NextTimer?.Due,
            ["CreatedAt"] = state.CreatedAt,
            ["UpdatedAt"] = state.UpdatedAt,
        };
        json = JsonSerializer.Serialize(state, Json);
        ChunkedText.Write(entity, "State", json);
        return entity;
    }

    private static TableEntity EffectEntity(string shard, Effect effect, DateTimeOffset leaseUntil) =>
        new(shard, RowKeys.Effect(effect.InstanceId, effect.Id))
        {
            ["InstanceId"] = effect.InstanceId,
            ["EffectId"] = effect.Id,
            ["Kind"] = effect.Kind,
            ["Payload"] = effect.Payload.ToJsonString(),
            ["LeaseUntil"] = leaseUntil,
        };

    private static DueEffect ReadEffect(TableEntity row) =>
        new(
            row.GetString("InstanceId"),
            new Effect(row.GetString("EffectId"), row.GetString("InstanceId"), row.GetString("Kind"), System.Text.Json.Nodes.JsonNode.Parse(row.GetString("Payload"))!.AsObject()),
            row.GetDateTimeOffset("LeaseUntil") ?? DateTimeOffset.MinValue,
            row.ETag);
}

/// <summary>Another writer changed the instance between this worker's read and its commit.</summary>
public sealed class ConcurrencyException(string instanceId, Exception inner) : Exception($"Instance {instanceId} changed concurrently.", inner);
