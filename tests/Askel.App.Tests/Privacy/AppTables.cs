using Azure.Data.Tables;

namespace Askel.App.Tests.Privacy;

/// <summary>One test app's tables in the shared Azurite: those whose name starts with its storage prefix.</summary>
internal static class AppTables
{
    /// <summary>The app's tables, by their name after the prefix (<c>participants</c>, <c>History</c>…).</summary>
    public static async Task<List<string>> NamesAsync(TableServiceClient service, string prefix)
    {
        var names = new List<string>();
        await foreach (var table in service.QueryAsync())
        {
            if (table.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                names.Add(table.Name[prefix.Length..]);
            }
        }

        return names;
    }

    /// <summary>(table after the prefix, partition/row) of every row with any of <paramref name="values"/> in a key or a text column.</summary>
    public static async Task<List<(string Table, string Row)>> RowsContainingAsync(TableServiceClient service, string prefix, IReadOnlyList<string> values, StringComparison comparison)
    {
        var rows = new List<(string, string)>();
        foreach (var name in await NamesAsync(service, prefix))
        {
            await foreach (var entity in service.GetTableClient(prefix + name).QueryAsync<TableEntity>())
            {
                var texts = ((IDictionary<string, object>)entity).Values.OfType<string>().Append(entity.PartitionKey).Append(entity.RowKey);
                if (texts.Any(text => values.Any(v => text.Contains(v, comparison))))
                {
                    rows.Add((name, $"{entity.PartitionKey}/{entity.RowKey}"));
                }
            }
        }

        return rows;
    }
}
