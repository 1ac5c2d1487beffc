using Askel.App.Participants;
using Askel.Testing;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;

namespace Askel.App.Tests.Participants;

/// <summary>
/// A project's participants kept in memory: every list shows what is stored now, whoever changed it, while only the
/// changed rows are read after the first list.
/// </summary>
public sealed class ParticipantListsTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
    private readonly FilterLog _filters = new();
    private TableClient _table = null!;
    private ParticipantLists _lists = null!;

    public async Task InitializeAsync()
    {
        var options = new TableClientOptions();
        options.AddPolicy(_filters, HttpPipelinePosition.PerCall);
        _table = new TableServiceClient((await Azurite.AccountAsync()).ConnectionString, options).GetTableClient(Azurite.UniqueName("lists"));
        await _table.CreateAsync();
        _lists = new ParticipantLists(_table, _time);
    }

    public Task DisposeAsync() => _table.DeleteAsync();

    [Fact]
    public async Task ChangesMadeElsewhere_ShowOnTheNextList_ReadingOnlyTheChangedRows()
    {
        await AddAsync("aino", "eero", "helmi");
        Assert.Equal(["aino", "eero", "helmi"], Ids(await _lists.ReadAsync("p", CancellationToken.None)));

        // Another instance (or a workflow's activity) changes one row, erases one and enrols one.
        await ChangeAsync("aino", p => p.Phone = "+358401111111");
        await ChangeAsync("eero", p => p.ErasedAt = _time.GetUtcNow());
        await AddAsync("oskari");
        _filters.Seen.Clear();
        var list = await _lists.ReadAsync("p", CancellationToken.None);

        Assert.Equal(["aino", "helmi", "oskari"], Ids(list));
        Assert.Equal("+358401111111", list.Single(p => p.Id == "aino").Phone);
        var filter = Assert.Single(_filters.Seen);
        Assert.Contains("Timestamp ge datetime'", filter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachListIsACopy_SoACallerChangingOneChangesNoOtherList()
    {
        await AddAsync("aino");
        (await _lists.ReadAsync("p", CancellationToken.None))[0].FirstName = "Changed";

        Assert.Equal("Aino", (await _lists.ReadAsync("p", CancellationToken.None))[0].FirstName);
    }

    [Fact]
    public async Task DeletedRow_LeavesTheListAtTheNextWholeRead()
    {
        await AddAsync("aino", "eero");
        await _lists.ReadAsync("p", CancellationToken.None);
        await _table.DeleteEntityAsync("p", "eero");

        // A deletion leaves no changed row to find: it shows when the partition is read whole again.
        Assert.Equal(["aino", "eero"], Ids(await _lists.ReadAsync("p", CancellationToken.None)));
        _time.Advance(ParticipantLists.ReloadAfter);
        _filters.Seen.Clear();

        Assert.Equal(["aino"], Ids(await _lists.ReadAsync("p", CancellationToken.None)));
        Assert.DoesNotContain("Timestamp", Assert.Single(_filters.Seen), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Projects_AreKeptApart()
    {
        await AddAsync("aino");
        await _table.AddEntityAsync(new Participant { PartitionKey = "q", RowKey = "bo", FirstName = "Bo", LastName = "Lind" });

        Assert.Equal(["aino"], Ids(await _lists.ReadAsync("p", CancellationToken.None)));
        Assert.Equal(["bo"], Ids(await _lists.ReadAsync("q", CancellationToken.None)));
    }

    private static List<string> Ids(IEnumerable<Participant> list) => [.. list.Select(p => p.Id).Order(StringComparer.Ordinal)];

    private async Task AddAsync(params string[] ids)
    {
        foreach (var id in ids)
        {
            await _table.AddEntityAsync(new Participant { PartitionKey = "p", RowKey = id, FirstName = char.ToUpperInvariant(id[0]) + id[1..], LastName = "Virtanen" });
        }
    }

    private async Task ChangeAsync(string id, Action<Participant> change)
    {
        var row = (await _table.GetEntityAsync<Participant>("p", id)).Value;
        change(row);
        await _table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);
    }

    /// <summary>The <c>$filter</c> of every query the lists send.</summary>
    private sealed class FilterLog : HttpPipelineSynchronousPolicy
    {
        public List<string> Seen { get; } = [];

        public override void OnSendingRequest(HttpMessage message)
        {
            var query = System.Web.HttpUtility.ParseQueryString(message.Request.Uri.Query);
            if (query["$filter"] is { } filter)
            {
                Seen.Add(filter);
            }
        }
    }
}
