using System.Collections.Concurrent;
using Azure.Data.Tables;

namespace Askel.App.Participants;

/// <summary>
/// Each project's participant rows, kept in this app instance's memory and brought up to date on every read with only
/// the rows changed since the last (Table Storage's own <c>Timestamp</c>, written by the service on every change, by
/// any instance). A list of 10,000 then reads the few rows that changed instead of all of them; a first read, and one
/// every <see cref="ReloadAfter"/>, reads the whole partition. No writer has to cooperate, so nothing that changes a row
/// can leave a list stale. A row deleted outright (a retention purge, years after the project) leaves the list at the
/// next whole read; an erasure is a change and leaves it at once.
/// </summary>
internal sealed class ParticipantLists(TableClient participants, TimeProvider time)
{
    /// <summary>How often a project's rows are read whole, which is also how long a deleted row can linger.</summary>
    public static readonly TimeSpan ReloadAfter = TimeSpan.FromMinutes(10);

    // Rows changed within this much before the last read's server time (its Date header, whole seconds) are read
    // again: the front end that dates a response and the partition server that stamps a row keep their own clocks.
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(5);

    // A project nobody has listed for this long gives its memory back.
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(30);

    private readonly ConcurrentDictionary<string, ProjectRows> projects = new(StringComparer.Ordinal);

    /// <summary>The project's participants as stored now, erased ones left out; each a copy the caller may change.</summary>
    public async Task<IReadOnlyList<Participant>> ReadAsync(string projectId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var rows = projects.GetOrAdd(projectId, _ => new ProjectRows());
        await rows.Gate.WaitAsync(cancellationToken);
        try
        {
            var whole = rows.ReadAt is null || now - rows.ReadAt >= ReloadAfter;
            var filter = whole
                ? TableClient.CreateQueryFilter($"PartitionKey eq {projectId}")
                : TableClient.CreateQueryFilter($"PartitionKey eq {projectId} and Timestamp ge {rows.ChangedSince}");
            var read = new Dictionary<string, Participant>(StringComparer.Ordinal);
            DateTimeOffset? serverTime = null;
            await foreach (var page in participants.QueryAsync<Participant>(filter, cancellationToken: cancellationToken).AsPages())
            {
                serverTime ??= page.GetRawResponse().Headers.Date;
                foreach (var participant in page.Values)
                {
                    read[participant.Id] = participant;
                }
            }

            if (whole)
            {
                rows.ById.Clear();
                rows.ReadAt = now;
            }

            foreach (var (id, participant) in read)
            {
                rows.ById[id] = participant;
            }

            // Without a Date header, the newest change seen (or the previous mark) stands in for the server's clock.
            var mark = serverTime ?? read.Values.Max(p => p.Timestamp) ?? rows.ChangedSince + Overlap;
            rows.ChangedSince = mark - Overlap;
            rows.UsedAt = now;
            return [.. rows.ById.Values.Where(p => p.ErasedAt is null).Select(p => p.Copy())];
        }
        finally
        {
            rows.Gate.Release();
            ForgetIdle(now);
        }
    }

    private void ForgetIdle(DateTimeOffset now)
    {
        foreach (var (projectId, rows) in projects)
        {
            if (now - rows.UsedAt > Idle)
            {
                projects.TryRemove(new KeyValuePair<string, ProjectRows>(projectId, rows));
            }
        }
    }

    /// <summary>One project's rows, changed only under <see cref="Gate"/>.</summary>
    private sealed class ProjectRows
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public Dictionary<string, Participant> ById { get; } = new(StringComparer.Ordinal);

        /// <summary>When (our clock) the partition was last read whole; null: never.</summary>
        public DateTimeOffset? ReadAt { get; set; }

        /// <summary>The server time from which changed rows are read next.</summary>
        public DateTimeOffset ChangedSince { get; set; } = DateTimeOffset.MinValue;

        public DateTimeOffset UsedAt { get; set; }
    }
}
