using System.Text.Json.Nodes;
using Askel.Runtime.Client;
using Askel.Runtime.Engine;
using Askel.Runtime.Storage;
using Azure;
using Azure.Data.Tables;

namespace Askel.App.Participants;

/// <summary>A coordinator task the workflow waits for: its step, title and outcomes (the task effect's payload).</summary>
public sealed record OpenTask(string InstanceId, string Step, string Coordinator, JsonObject Task)
{
    /// <summary>The outcomes a coordinator can choose.</summary>
    public IReadOnlyList<string> Outcomes => [.. (Task["outcomes"] as JsonArray ?? []).Select(o => o?.GetValue<string>() ?? "").Where(o => o.Length > 0)];

    /// <summary>When the workflow opened it (tasks opened before this was recorded have none).</summary>
    public DateTimeOffset? OpenedAt => Time("openedAt");

    /// <summary>When it falls due (the step's <c>due:</c>), or null.</summary>
    public DateTimeOffset? Due => Time("due");

    private DateTimeOffset? Time(string field) =>
        DateTimeOffset.TryParse(Task[field]?.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var at) ? at : null;

    /// <summary>The title in <paramref name="language"/>, else English, Finnish, any, or the step's id.</summary>
    public string Title(string language) => InLanguage(Task["title"], language) ?? Step;

    /// <summary>An outcome's words in <paramref name="language"/> (its <c>title:</c> in the workflow), else its name.</summary>
    public string OutcomeTitle(string outcome, string language) => InLanguage(Task["outcomeTitles"]?[outcome], language) ?? outcome;

    private static string? InLanguage(JsonNode? texts, string language) =>
        texts is JsonObject text ? (text[language] ?? text["en"] ?? text["fi"] ?? text.FirstOrDefault().Value)?.GetValue<string>() : null;
}

/// <summary>
/// The open-tasks table (partition <c>open</c>, row key: the task effect's id, which starts with the instance id):
/// a row per task the workflow opened, removed when the task is completed. A row whose workflow does not wait for it
/// is not shown; it is removed when found once the workflow is certainly past it (completed elsewhere, or ended).
/// </summary>
public sealed class OpenTasks(TableServiceClient service, EngineOptions options, IWorkflowClient workflows)
{
    private const string Partition = "open";

    /// <summary>The open-tasks table.</summary>
    public TableClient Table { get; } = service.GetTableClient(options.TasksTable);

    /// <summary>Records a task the workflow opened; the effect id makes a retried dispatch leave one row.</summary>
    public Task OpenAsync(Effect effect, string coordinator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(effect);
        return Table.UpsertEntityAsync(
            new TableEntity(Partition, effect.Id)
            {
                ["InstanceId"] = effect.InstanceId,
                ["Step"] = effect.Payload["step"]?.GetValue<string>(),
                ["Coordinator"] = coordinator,
                ["Task"] = effect.Payload.ToJsonString(),
            },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    /// <summary>The open tasks of a project's instances (<c>{project}.</c>) or one instance's (<c>{instance}.</c>), checked against their workflows.</summary>
    /// <param name="prefix">The instance-id prefix, ending in a dot.</param>
    /// <param name="states">States already loaded by the caller, by instance id; others are loaded here.</param>
    public async Task<IReadOnlyList<OpenTask>> ListAsync(string prefix, IReadOnlyDictionary<string, WorkflowStatus?>? states, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var open = new List<OpenTask>();
        await foreach (var row in RowsAsync(prefix, cancellationToken))
        {
            var instanceId = row.GetString("InstanceId") ?? "";
            var step = row.GetString("Step") ?? "";
            var status = states is not null && states.TryGetValue(instanceId, out var known) ? known : await workflows.StatusAsync(instanceId, cancellationToken);
            var task = new OpenTask(instanceId, step, row.GetString("Coordinator") ?? "", JsonNode.Parse(row.GetString("Task") ?? "{}") as JsonObject ?? []);
            if (status?.Waiting == new AwaitingTask(step))
            {
                open.Add(task);
            }
            else if (IsOver(task, status))
            {
                await Table.DeleteEntityAsync(Partition, row.RowKey, row.ETag, cancellationToken);
            }
        }

        return open;
    }

    // A row the workflow does not wait for is over when the workflow has ended, or entered its step after the task
    // opened. A status read while the workflow is opening the task (its step entered before the task opened) is
    // older than the row: the row stays. Rows from before tasks recorded their opening go by the status alone.
    private static bool IsOver(OpenTask task, WorkflowStatus? status) =>
        status is null or { IsFinished: true } || task.OpenedAt is not { } opened || status.StepEnteredAt is not { } entered || entered > opened;

    /// <summary>Every task row of one instance as stored, whether its workflow still waits for it or not (the participant's export).</summary>
    public async Task<IReadOnlyList<OpenTask>> OfInstanceAsync(string instanceId, CancellationToken cancellationToken)
    {
        var rows = new List<OpenTask>();
        await foreach (var row in RowsAsync(instanceId + ".", cancellationToken))
        {
            if (row.GetString("InstanceId") == instanceId)
            {
                rows.Add(new OpenTask(instanceId, row.GetString("Step") ?? "", row.GetString("Coordinator") ?? "", JsonNode.Parse(row.GetString("Task") ?? "{}") as JsonObject ?? []));
            }
        }

        return rows;
    }

    /// <summary>Removes every task row of one instance (its participant's records are erased).</summary>
    public Task ForgetInstanceAsync(string instanceId, CancellationToken cancellationToken) =>
        Table.DeleteAllAsync(TableRows.KeyPrefix(Partition, instanceId + ".") + " and " + TableClient.CreateQueryFilter($"InstanceId eq {instanceId}"), cancellationToken);

    /// <summary>Gives an instance's open tasks to another coordinator (its participant was handed over).</summary>
    public async Task ReassignAsync(string instanceId, string coordinator, CancellationToken cancellationToken)
    {
        await foreach (var row in RowsAsync(instanceId + ".", cancellationToken))
        {
            if (row.GetString("InstanceId") == instanceId)
            {
                await Table.UpdateEntityAsync(new TableEntity(Partition, row.RowKey) { ["Coordinator"] = coordinator }, ETag.All, TableUpdateMode.Merge, cancellationToken);
            }
        }
    }

    /// <summary>Removes an instance's open rows of a task step (it was completed).</summary>
    public async Task CloseAsync(string instanceId, string step, CancellationToken cancellationToken)
    {
        await foreach (var row in RowsAsync(instanceId + ".", cancellationToken))
        {
            if (row.GetString("Step") == step && row.GetString("InstanceId") == instanceId)
            {
                await Table.DeleteEntityAsync(Partition, row.RowKey, ETag.All, cancellationToken);
            }
        }
    }

    private async IAsyncEnumerable<TableEntity> RowsAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var rows = Table.QueryAsync<TableEntity>(TableRows.KeyPrefix(Partition, prefix), cancellationToken: cancellationToken);
        await using var e = rows.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await e.MoveNextAsync())
                {
                    yield break;
                }
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // No task was ever opened: the table does not exist yet.
                yield break;
            }

            yield return e.Current;
        }
    }
}
