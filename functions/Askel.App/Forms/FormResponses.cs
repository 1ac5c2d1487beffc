using System.Globalization;
using System.Text.Json.Nodes;
using Askel.App.Audit;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.App.Summaries;
using Askel.Runtime.Client;
using Askel.Runtime.Definitions;
using Askel.Runtime.Forms;
using Askel.Runtime.Storage;
using Azure;
using Azure.Data.Tables;

namespace Askel.App.Forms;

/// <summary>A stored response, for the coordinator's timeline and for reports.</summary>
public sealed record FormResponse(string Form, string FormVersion, string FilledBy, DateTimeOffset StartedAt, DateTimeOffset SubmittedAt, JsonObject Answers);

/// <summary>
/// Drafts and responses in the responses table (partition: the participant). A response is stored once
/// per participant and form — an insert, so two submissions at the same moment store one — then the
/// participant's reporting snapshot is updated and the workflow hears <c>form:&lt;form&gt;</c>.
/// </summary>
public sealed class FormResponses(
    ParticipantTables tables, ParticipantService participants, ProjectCatalog projects, IWorkflowClient workflows, AuditLog audit, TimeProvider time)
{
    /// <summary>The draft of a form: the answers as typed so far and when answering began.</summary>
    public async Task<(RawAnswers Raw, DateTimeOffset StartedAt)> DraftAsync(string participantId, string form, CancellationToken cancellationToken)
    {
        var draft = await tables.Responses.GetEntityIfExistsAsync<TableEntity>(participantId, "draft|" + form, cancellationToken: cancellationToken);
        return draft.HasValue
            ? (RawAnswers.FromJson(ChunkedText.Read(draft.Value!, "Raw")), draft.Value!.GetDateTimeOffset("StartedAt") ?? time.GetUtcNow())
            : (RawAnswers.Empty(), time.GetUtcNow());
    }

    /// <summary>Keeps the answers typed so far.</summary>
    /// <exception cref="RowTooLargeException">The answers are more than a row holds (the draft stays as it was).</exception>
    public Task SaveDraftAsync(Participant participant, string form, RawAnswers raw, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(participant);
        ArgumentNullException.ThrowIfNull(raw);
        var row = new TableEntity(participant.Id, "draft|" + form)
        {
            ["ProjectId"] = participant.ProjectId,
            ["StartedAt"] = startedAt,
            ["UpdatedAt"] = time.GetUtcNow(),
        };
        ChunkedText.Write(row, "Raw", raw.ToJson());
        return tables.Responses.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Whether the form was already submitted.</summary>
    public async Task<bool> IsSubmittedAsync(string participantId, string form, CancellationToken cancellationToken) =>
        (await tables.Responses.GetEntityIfExistsAsync<TableEntity>(participantId, "form|" + form, select: ["RowKey"], cancellationToken: cancellationToken)).HasValue;

    /// <summary>
    /// Stores a checked response once, updates the participant's reporting snapshot and tells the workflow.
    /// Safe to repeat after a crash at any point: the insert refuses a second copy, the snapshot is the same,
    /// and the workflow drops an event id it has seen.
    /// </summary>
    /// <returns>False when the form had already been submitted (nothing is stored again).</returns>
    public async Task<bool> SubmitAsync(Participant participant, FormDefinition form, JsonObject answers, bool assisted, string actor, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(participant);
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(answers);
        var row = new TableEntity(participant.Id, "form|" + form.Name)
        {
            ["ProjectId"] = participant.ProjectId,
            ["Form"] = form.Name,
            ["FormVersion"] = form.Version,
            ["FilledBy"] = assisted ? "assisted" : "participant",
            ["AssistedBy"] = assisted ? actor : "",
            ["StartedAt"] = startedAt,
            ["SubmittedAt"] = time.GetUtcNow(),
        };
        ChunkedText.Write(row, "Answers", answers.ToJsonString(StoredJson.Options)); // checked answers are no longer than the draft they came from
        var stored = true;
        FormResponse response;
        try
        {
            await tables.Responses.AddEntityAsync(row, cancellationToken);
            response = ToResponse(row);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Submitted before (or at the same moment): the first one stands, and the rest of the steps follow from it.
            stored = false;
            response = await ReadAsync(participant.Id, form.Name, cancellationToken) ?? throw new InvalidOperationException("The response was stored but cannot be read.");
        }
        await FinishAsync(participant, form, response, cancellationToken);
        if (stored)
        {
            await audit.RecordAsync(actor, assisted ? "submit-form-assisted" : "submit-form", participant.ProjectId, participant.Id, form.Name, cancellationToken);
        }

        await tables.Responses.DeleteEntityAsync(participant.Id, "draft|" + form.Name, cancellationToken: cancellationToken);
        return stored;
    }

    /// <summary>
    /// Finishes a submission that a crash cut short after its response was stored: once stored, the form's link
    /// only says "answered already", so nothing would submit it again. When the workflow still waits for the form,
    /// the snapshot and the event are done again (both safe to repeat).
    /// </summary>
    public async Task ResumeAsync(Participant participant, FormDefinition form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(participant);
        ArgumentNullException.ThrowIfNull(form);
        var status = await workflows.StatusAsync(participant.InstanceId, cancellationToken);
        if (status?.Waiting != new AwaitingForm(form.Name) || await ReadAsync(participant.Id, form.Name, cancellationToken) is not { } response)
        {
            return;
        }

        await FinishAsync(participant, form, response, cancellationToken);
        await tables.Responses.DeleteEntityAsync(participant.Id, "draft|" + form.Name, cancellationToken: cancellationToken);
    }

    private async Task FinishAsync(Participant participant, FormDefinition form, FormResponse response, CancellationToken cancellationToken)
    {
        if (Reports(form) is { } received && projects.Find(participant.ProjectId) is { } project)
        {
            await participants.FormReceivedAsync(project, participant, SummaryEvents.ReceivedFactOf(received), p => Snapshot(p, form, response), cancellationToken);
        }
        else
        {
            await participants.UpdateAsync(participant.ProjectId, participant.Id, p => Snapshot(p, form, response), cancellationToken);
        }

        await workflows.RaiseAsync(
            participant.InstanceId, new FormSubmitted(form.Name, response.FilledBy, response.FormVersion, FormSubmitted.IdFor(form.Name)), cancellationToken);
    }

    /// <summary>One stored response, or null.</summary>
    public async Task<FormResponse?> ReadAsync(string participantId, string form, CancellationToken cancellationToken)
    {
        var row = await tables.Responses.GetEntityIfExistsAsync<TableEntity>(participantId, "form|" + form, cancellationToken: cancellationToken);
        return row.HasValue ? ToResponse(row.Value!) : null;
    }

    /// <summary>Every stored response of a participant.</summary>
    public async Task<IReadOnlyList<FormResponse>> AllAsync(string participantId, CancellationToken cancellationToken)
    {
        var list = new List<FormResponse>();
        await foreach (var row in tables.Responses.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {participantId} and RowKey ge {"form|"} and RowKey lt {"form}"}"), cancellationToken: cancellationToken))
        {
            list.Add(ToResponse(row));
        }

        return list;
    }

    private static FormResponse ToResponse(TableEntity row) => new(
        row.GetString("Form"),
        row.GetString("FormVersion"),
        row.GetString("FilledBy"),
        row.GetDateTimeOffset("StartedAt") ?? default,
        row.GetDateTimeOffset("SubmittedAt") ?? default,
        JsonNode.Parse(ChunkedText.Read(row, "Answers") is { Length: > 0 } json ? json : "{}") as JsonObject ?? []);

    /// <summary>Which of the ESF+ forms <paramref name="form"/> is, by the field it reports (entry, exit, six months), or null.</summary>
    public static ReportedForm? Reports(FormDefinition form)
    {
        ArgumentNullException.ThrowIfNull(form);
        return form.ByReport("labourStatus") is not null ? ReportedForm.Entry
            : form.ByReport("exitEmployment") is not null ? ReportedForm.Exit
            : form.ByReport("sixMonthEmployment") is not null ? ReportedForm.SixMonth
            : null;
    }

    /// <summary>Copies the form's reporting fields to the participant and derives the status at entry, exit or six months.</summary>
    internal static void Snapshot(Participant participant, FormDefinition form, FormResponse response)
    {
        var reported = JsonNode.Parse(participant.Reported) as JsonObject ?? [];
        foreach (var question in form.Questions.Where(q => q.Report is not null))
        {
            if (response.Answers[question.Id] is JsonValue value)
            {
                reported[question.Report!] = value.TryGetValue<string>(out var text) ? question.ReportedValue(text) : value.DeepClone();
            }
        }

        participant.Reported = reported.ToJsonString();
        string? Field(string key) => reported[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (form.ByReport("labourStatus") is not null)
        {
            participant.EntryReceivedAt ??= response.SubmittedAt;
            participant.StatusAtEntry = Field("labourStatus") == "unemployed" && IsLongTerm(Field("unemployedMonths"), Field("birthDate"), participant.EnrolledAt)
                ? "long-term-unemployed"
                : Field("labourStatus");
        }

        if (form.ByReport("exitEmployment") is not null)
        {
            participant.ExitReceivedAt ??= response.SubmittedAt;
            // ESF+ counts employment including self-employment; the reported field keeps which (the summary shows entrepreneurs).
            participant.StatusAtExit = Field("exitEmployment") is "employed" or "self-employed" ? "employed"
                : Field("exitEducation") == "yes" ? "education"
                : Field("exitJobSearching") == "yes" ? "job-searching"
                : "no-change";
        }

        if (form.ByReport("sixMonthEmployment") is not null)
        {
            participant.SixMonthReceivedAt ??= response.SubmittedAt;
            participant.StatusAtSixMonths = Field("sixMonthEmployment") == "self-employed" ? "employed" : Field("sixMonthEmployment");
        }
    }

    // ESF+ long-term unemployed: more than 12 months at 25 or over, more than 6 months under 25.
    private static bool IsLongTerm(string? months, string? birthDate, DateTimeOffset enrolledAt)
    {
        if (months == "over-12")
        {
            return true;
        }

        if (months != "6-12" || !DateOnly.TryParseExact(birthDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var born))
        {
            return false;
        }

        return Participant.AgeOn(born, DateOnly.FromDateTime(enrolledAt.UtcDateTime)) < 25;
    }
}
