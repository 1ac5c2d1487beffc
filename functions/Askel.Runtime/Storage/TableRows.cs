using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace Askel.Runtime.Storage;

/// <summary>What several tables need alike: rows by key prefix, rows read whole (to delete them), newest-first keys.</summary>
public static class TableRows
{
    /// <summary>A filter for the rows of <paramref name="partition"/> whose row key starts with <paramref name="rowKeyPrefix"/>.</summary>
    public static string KeyPrefix(string partition, string rowKeyPrefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(rowKeyPrefix);
        var end = rowKeyPrefix[..^1] + (char)(rowKeyPrefix[^1] + 1);
        return TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {rowKeyPrefix} and RowKey lt {end}");
    }

    /// <summary>
    /// Every row matching <paramref name="filter"/>, read whole before it is returned (so the caller may delete them without
    /// disturbing the paging); none when the table has not been made yet.
    /// </summary>
    public static async Task<IReadOnlyList<TableEntity>> ReadAllAsync(this TableClient table, string filter, IEnumerable<string>? select, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        var rows = new List<TableEntity>();
        try
        {
            await foreach (var row in table.QueryAsync<TableEntity>(filter, select: select, cancellationToken: cancellationToken))
            {
                rows.Add(row);
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // The table was never made: it holds nothing.
        }

        return rows;
    }

    /// <summary>Deletes every row matching <paramref name="filter"/>; returns how many there were.</summary>
    public static async Task<int> DeleteAllAsync(this TableClient table, string filter, CancellationToken cancellationToken)
    {
        var rows = await table.ReadAllAsync(filter, ["PartitionKey", "RowKey"], cancellationToken);
        foreach (var row in rows)
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
        }

        return rows.Count;
    }

    /// <summary>The start of a row key that sorts the newest first within a partition (it counts down from the latest time).</summary>
    public static string NewestFirst(DateTimeOffset at) =>
        (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);
}
