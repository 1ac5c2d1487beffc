using Azure;
using Azure.Data.Tables;

namespace Askel.App.Summaries;

/// <summary>What became of a project's summary for one month.</summary>
public enum DeliveryStatus
{
    /// <summary>An instance is sending it (until its lease runs out).</summary>
    Claimed,

    /// <summary>The email provider accepted it.</summary>
    Sent,

    /// <summary>Not sent, and not to be retried: the project had no managers.</summary>
    Skipped,

    /// <summary>The provider refused it for good (e.g. an invalid address): not retried.</summary>
    Failed,
}

/// <summary>The delivery row of a project's month.</summary>
/// <param name="ProjectId">The project.</param>
/// <param name="Month">The month (<c>yyyy-MM</c>).</param>
/// <param name="Status">What became of it.</param>
/// <param name="LeaseUntil">Until when a claim holds.</param>
/// <param name="At">When it was claimed, or finished.</param>
/// <param name="Recipients">How many it went to.</param>
/// <param name="ProviderMessageId">The provider's id, once sent.</param>
/// <param name="Reason">Why skipped or failed.</param>
public sealed record DeliveryRecord(string ProjectId, string Month, DeliveryStatus Status, DateTimeOffset LeaseUntil, DateTimeOffset At, int Recipients, string? ProviderMessageId, string? Reason)
{
    /// <summary>Whether nothing more is to be done for it.</summary>
    public bool IsDone => Status is not DeliveryStatus.Claimed;
}

/// <summary>An instance's claim on a project's month: the row it wrote and its ETag.</summary>
public sealed record DeliveryClaim(string ProjectId, string Month, string Owner, ETag ETag, bool TakenOver);

/// <summary>
/// One row per project and month in the summaries table (<c>delivery|yyyy-MM</c>, partition: the project), written
/// when an instance claims the month and updated when it is sent, skipped or failed. The claim is an insert, so of
/// several instances exactly one gets it (the others get 409); it holds for a lease, after which a later run may take
/// it over (an update on the ETag it read, so again only one does). The done rows are the project's cursor: the months
/// owed are those after the latest done one.
/// </summary>
public sealed class SummaryDeliveries(SummaryStore store)
{
    /// <summary>The row key prefix.</summary>
    public const string Prefix = "delivery|";

    private TableClient Table => store.Table;

    /// <summary>Every delivery row of a project, oldest month first.</summary>
    public async Task<IReadOnlyList<DeliveryRecord>> ListAsync(string projectId, CancellationToken cancellationToken)
    {
        var rows = new List<DeliveryRecord>();
        await foreach (var row in store.QueryAsync(projectId, Prefix, cancellationToken))
        {
            rows.Add(Read(row));
        }

        return [.. rows.OrderBy(r => r.Month, StringComparer.Ordinal)];
    }

    /// <summary>The row of a project's month, or null.</summary>
    public async Task<DeliveryRecord?> FindAsync(string projectId, string month, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(projectId, Prefix + month, cancellationToken: cancellationToken);
        return row.HasValue ? Read(row.Value!) : null;
    }

    /// <summary>
    /// Claims a project's month for <paramref name="lease"/>: the claim, or null with the row that stands in the way
    /// (done, or claimed by another instance whose lease has not run out).
    /// </summary>
    public async Task<(DeliveryClaim? Claim, DeliveryRecord? Existing)> ClaimAsync(string projectId, string month, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        var owner = Guid.NewGuid().ToString("N");
        var row = ClaimRow(projectId, month, owner, now, lease);
        try
        {
            var added = await Table.AddEntityAsync(row, cancellationToken);
            return (new DeliveryClaim(projectId, month, owner, added.Headers.ETag ?? ETag.All, TakenOver: false), null);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Someone claimed it before: done, theirs, or theirs until their lease ran out.
        }

        var existing = await Table.GetEntityIfExistsAsync<TableEntity>(projectId, Prefix + month, cancellationToken: cancellationToken);
        if (!existing.HasValue)
        {
            // Released between our insert and our read: the next run claims it.
            return (null, null);
        }

        var record = Read(existing.Value!);
        if (record.IsDone || record.LeaseUntil > now)
        {
            return (null, record);
        }

        try
        {
            var replaced = await Table.UpdateEntityAsync(row, existing.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
            return (new DeliveryClaim(projectId, month, owner, replaced.Headers.ETag ?? ETag.All, TakenOver: true), null);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            // Another instance took it over (or it was released) first.
            return (null, record);
        }
    }

    /// <summary>Records the month as done; false when the claim had been taken over meanwhile (the row is left to the new owner).</summary>
    public async Task<bool> FinishAsync(DeliveryClaim claim, DeliveryStatus status, DateTimeOffset now, int recipients, string? providerMessageId, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var row = new TableEntity(claim.ProjectId, Prefix + claim.Month)
        {
            ["Status"] = status.ToString(),
            ["Owner"] = claim.Owner,
            ["LeaseUntil"] = now,
            ["At"] = now,
            ["Recipients"] = recipients,
            ["ProviderMessageId"] = providerMessageId ?? "",
            ["Reason"] = reason ?? "",
        };
        try
        {
            await Table.UpdateEntityAsync(row, claim.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>Gives the claim up, so the next run claims the month again; nothing happens when it was taken over.</summary>
    public async Task ReleaseAsync(DeliveryClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        try
        {
            await Table.DeleteEntityAsync(claim.ProjectId, Prefix + claim.Month, claim.ETag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
        }
    }

    private static TableEntity ClaimRow(string projectId, string month, string owner, DateTimeOffset now, TimeSpan lease) =>
        new(projectId, Prefix + month)
        {
            ["Status"] = nameof(DeliveryStatus.Claimed),
            ["Owner"] = owner,
            ["LeaseUntil"] = now + lease,
            ["At"] = now,
            ["Recipients"] = 0,
            ["ProviderMessageId"] = "",
            ["Reason"] = "",
        };

    private static DeliveryRecord Read(TableEntity row) => new(
        row.PartitionKey,
        row.RowKey[Prefix.Length..],
        Enum.TryParse<DeliveryStatus>(row.GetString("Status"), out var status) ? status : DeliveryStatus.Claimed,
        row.GetDateTimeOffset("LeaseUntil") ?? default,
        row.GetDateTimeOffset("At") ?? default,
        row.GetInt32("Recipients") ?? 0,
        row.GetString("ProviderMessageId") is { Length: > 0 } id ? id : null,
        row.GetString("Reason") is { Length: > 0 } reason ? reason : null);
}
