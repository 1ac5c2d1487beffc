using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Askel.App.Audit;
using Askel.App.Forms;
using Askel.App.Projects;
using Askel.App.Summaries;
using Askel.Runtime.Definitions;
using Askel.Runtime.Client;
using Askel.Runtime.Storage;
using Azure.Data.Tables;

namespace Askel.App.Participants;

/// <summary>What a coordinator types to enrol a participant.</summary>
/// <param name="Key">
/// The enrolment form's own key (a random value the form carries): a repeat of the same post — a double click, a retry
/// after a crash — finds the participant the first one made instead of making another. Null: every post is new.
/// </param>
public sealed record Enrolment(string FirstName, string LastName, string Language, string? Email, string? Phone, bool IntakeInPerson, string? Key = null)
{
    /// <summary>The day they joined, when earlier than today (an import of a project's existing participants); null: now.</summary>
    public DateOnly? JoinedOn { get; init; }

    /// <summary>The coordinator responsible for them, when not the one who enrols them.</summary>
    public string? Coordinator { get; init; }
}

/// <summary>A participant already in the project with the same email address or mobile number as an enrolment.</summary>
/// <param name="Participant">Who.</param>
/// <param name="Channel"><c>email</c> or <c>sms</c>: which contact is the same.</param>
public sealed record SameContact(Participant Participant, string Channel);

/// <summary>A correction of one detail (GDPR art. 16): when, by whom, which field, its old and new value.</summary>
public sealed record Rectification(DateTimeOffset At, string By, string Field, string Old, string New);

/// <summary>A coaching session, as logged by a coordinator.</summary>
public sealed record CoachingSession(DateOnly Date, int Minutes, string Kind, string Coordinator, DateTimeOffset LoggedAt, string Note);

/// <summary>
/// The participant's life in a project: enrolment (which starts their workflow), coaching sessions,
/// leaving. Every read and change leaves an audit record; callers have checked the project access.
/// </summary>
public sealed class ParticipantService(
    ParticipantTables tables, IWorkflowClient workflows, IWorkflowDefinitions definitions, AuditLog audit, SummaryService summary, OpenTasks tasks, TimeProvider time)
{
    private const string IdAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    private readonly ParticipantLists lists = new(tables.Participants, time);

    /// <summary>
    /// Checks an enrolment; the problems are keys of the coordinator texts (e.g. <c>first-name-required</c>). The language must be
    /// one of <paramref name="languages"/> (a project's <see cref="Project.Offered"/>; every language Askel has when null).
    /// </summary>
    public static IReadOnlyList<string> Check(Enrolment enrolment, out string? email, out string? phone, IReadOnlyList<string>? languages = null)
    {
        ArgumentNullException.ThrowIfNull(enrolment);
        var problems = new List<string>();
        if (!IsName(enrolment.FirstName))
        {
            problems.Add("first-name-invalid");
        }

        if (!IsName(enrolment.LastName))
        {
            problems.Add("last-name-invalid");
        }

        if (!(languages ?? WorkflowLoader.AllowedLanguages).Contains(enrolment.Language))
        {
            problems.Add("language-invalid");
        }

        email = Contacts.NormaliseEmail(enrolment.Email);
        phone = Contacts.NormalisePhone(enrolment.Phone);
        if (!string.IsNullOrWhiteSpace(enrolment.Email) && email is null)
        {
            problems.Add("email-invalid");
        }

        if (!string.IsNullOrWhiteSpace(enrolment.Phone) && phone is null)
        {
            problems.Add("phone-invalid");
        }

        if (string.IsNullOrWhiteSpace(enrolment.Email) && string.IsNullOrWhiteSpace(enrolment.Phone))
        {
            problems.Add("contact-required");
        }

        return problems;
    }

    /// <summary>Enrols a participant and starts their workflow. The enrolment must have passed <see cref="Check"/>.</summary>
    public async Task<Participant> EnrolAsync(Project project, Enrolment enrolment, string coordinator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        if (Check(enrolment, out var email, out var phone, project.Offered).Count > 0)
        {
            throw new ArgumentException("The enrolment has problems; check it first.", nameof(enrolment));
        }

        if (enrolment.Key is { } key && await FindAsync(project.Id, IdFor(project.Id, key), cancellationToken) is { } enrolled)
        {
            // The same form posted again: the participant it made, with a workflow that a crash may have left unstarted.
            await StartWorkflowAsync(project, enrolled, cancellationToken);
            return enrolled;
        }

        var participant = new Participant
        {
            PartitionKey = project.Id,
            RowKey = enrolment.Key is { } k ? IdFor(project.Id, k) : NewId(),
            FirstName = enrolment.FirstName.Trim(),
            LastName = enrolment.LastName.Trim(),
            Language = enrolment.Language,
            Email = email,
            Phone = phone,
            EnrolledBy = coordinator,
            EnrolledAt = JoinedAt(enrolment.JoinedOn),
            Coordinator = enrolment.Coordinator is { } responsible && !string.Equals(responsible, coordinator, StringComparison.OrdinalIgnoreCase) ? responsible : null,
            Intake = enrolment.IntakeInPerson ? "in-person" : "message",
        };
        try
        {
            await tables.Participants.AddEntityAsync(participant, cancellationToken);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 409 && enrolment.Key is not null)
        {
            // Two posts of one form at the same moment: the other made the participant.
            return await EnrolAsync(project, enrolment, coordinator, cancellationToken);
        }

        await tables.IndexContactsAsync(participant, cancellationToken);
        await audit.RecordAsync(coordinator, "enrol", project.Id, participant.Id, null, cancellationToken);
        await summary.RecordAsync(participant, cancellationToken);

        await StartWorkflowAsync(project, participant, cancellationToken);
        return participant;
    }

    // The start of the day they joined in Finnish time, when it was before today; else now.
    private DateTimeOffset JoinedAt(DateOnly? joinedOn)
    {
        var now = time.GetUtcNow();
        var zone = Askel.Runtime.Calendar.CalendarPolicy.Default.TimeZone;
        if (joinedOn is not { } day || day >= DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime))
        {
            return now;
        }

        var midnight = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
    }

    /// <summary>
    /// The participants of <paramref name="project"/> with the enrolment's email address or mobile number, so the
    /// coordinator can see whether they are enrolling someone twice; each one shown is an audited read.
    /// </summary>
    public async Task<IReadOnlyList<SameContact>> SameContactAsync(Project project, Enrolment enrolment, string coordinator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        _ = Check(enrolment, out var email, out var phone);
        var found = new List<SameContact>();
        foreach (var (channel, address) in new[] { ("email", email), ("sms", phone) })
        {
            if (address is null)
            {
                continue;
            }

            var key = ParticipantTables.ContactKey(channel, address);
            await foreach (var row in tables.Contacts.QueryAsync<TableEntity>(e => e.PartitionKey == key, cancellationToken: cancellationToken))
            {
                if (row.GetString("ProjectId") == project.Id && row.GetString("ParticipantId") is { } id && found.All(f => f.Participant.Id != id)
                    && await GetAsync(project.Id, id, coordinator, "read-same-contact", cancellationToken) is { } participant)
                {
                    found.Add(new SameContact(participant, channel));
                }
            }
        }

        return found;
    }

    /// <summary>The participant id an enrolment key gives in a project: the same key, the same participant.</summary>
    public static string IdFor(string projectId, string key)
    {
        ArgumentNullException.ThrowIfNull(projectId);
        ArgumentNullException.ThrowIfNull(key);
        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(projectId + "\n" + key));
        return string.Create(12, hash, (span, bytes) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = IdAlphabet[bytes[i] % IdAlphabet.Length];
            }
        });
    }

    /// <summary>
    /// Starts the participant's workflow when it is not running: enrolment stores the participant first (so the
    /// first message finds them), and a crash before the start is repaired when the project's list is next read.
    /// </summary>
    public async Task StartWorkflowAsync(Project project, Participant participant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(participant);
        // The workflow sees no names or addresses: only the language, which channels exist, and the project's dates.
        var input = new JsonObject
        {
            ["language"] = participant.Language,
            ["intake"] = participant.Intake,
            ["channels"] = new JsonObject { ["email"] = participant.Email is null ? "missing" : "ok", ["sms"] = participant.Phone is null ? "missing" : "ok" },
            ["project"] = new JsonObject
            {
                ["id"] = project.Id,
                ["endDate"] = project.EndDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["euraCode"] = project.EuraCode,
            },
        };
        var started = await workflows.StartAsync(project.Workflow, participant.InstanceId, input, cancellationToken);
        if (started is not (StartStatus.Started or StartStatus.Exists))
        {
            throw new InvalidOperationException($"The workflow {project.Workflow} did not start: {started}");
        }
    }

    /// <summary>One participant, or null; the read is audited.</summary>
    public async Task<Participant?> GetAsync(string projectId, string participantId, string actor, string action, CancellationToken cancellationToken)
    {
        var participant = await FindAsync(projectId, participantId, cancellationToken);
        if (participant is not null)
        {
            await audit.RecordAsync(actor, action, projectId, participantId, null, cancellationToken);
        }

        return participant;
    }

    /// <summary>One participant without an audit record: for the system's own use (sending a message).</summary>
    public Task<Participant?> FindAsync(string projectId, string participantId, CancellationToken cancellationToken) =>
        tables.FindParticipantAsync(projectId, participantId, cancellationToken);

    /// <summary>Every participant of a project, newest first (kept in memory, see <see cref="ParticipantLists"/>); the read is audited once for the list.</summary>
    public async Task<IReadOnlyList<Participant>> ListAsync(string projectId, string actor, CancellationToken cancellationToken)
    {
        var list = await ReadForFiguresAsync(projectId, cancellationToken);
        await audit.RecordAsync(actor, "view-list", projectId, null, $"{list.Count} participants", cancellationToken);
        return list;
    }

    /// <summary>
    /// Every participant of a project, newest first, for figures that name no one (the forecasts): not audited as a view of
    /// the list, since nobody sees it; the caller records what it read them for.
    /// </summary>
    public async Task<IReadOnlyList<Participant>> ReadForFiguresAsync(string projectId, CancellationToken cancellationToken) =>
        [.. (await lists.ReadAsync(projectId, cancellationToken)).OrderByDescending(p => p.EnrolledAt)];

    /// <summary>
    /// Marks the participant as having left: the workflow goes on to the exit form. One change: the workflow is told,
    /// and once it has applied that, it records the leaving date (<see cref="Summaries.ParticipantFacts"/>); the first
    /// date told stands. Only when no workflow runs any more is the date written here.
    /// </summary>
    public async Task MarkLeftAsync(Participant participant, DateOnly leftOn, string coordinator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(participant);
        if (await workflows.StatusAsync(participant.InstanceId, cancellationToken) is { IsFinished: false })
        {
            await workflows.RaiseAsync(participant.InstanceId, NamedEvent.Left(leftOn), cancellationToken);
        }
        else
        {
            var updated = await UpdateAsync(participant.ProjectId, participant.Id, p => p.LeftAt ??= new DateTimeOffset(leftOn.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), cancellationToken);
            await summary.RecordAsync(updated, cancellationToken);
        }

        await audit.RecordAsync(coordinator, "mark-left", participant.ProjectId, participant.Id, leftOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), cancellationToken);
    }

    /// <summary>
    /// Confirms that a form kept in another system (EURA 2021) was filled in. When its step declares what it reports
    /// (<c>reports: entry</c>, <c>exit</c> or <c>six-month</c>), the monthly summary counts that form received.
    /// </summary>
    /// <param name="project">The participant's project (its end date stands in for a leaving date never marked).</param>
    /// <param name="participant">Whose form.</param>
    /// <param name="external">The external form's name.</param>
    /// <param name="by"><c>participant</c>, or the coordinator's sign-in name.</param>
    public async Task ConfirmExternalAsync(Project project, Participant participant, string external, string by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(participant);
        var reports = (await StepOfAsync(participant, s => s is ExternalStep x && x.Name == external, cancellationToken))?.Reports;
        await workflows.RaiseAsync(
            participant.InstanceId, new ExternalConfirmed(external, by == "participant" ? "participant" : "coordinator", "confirm:" + external), cancellationToken);
        await audit.RecordAsync(by, "confirm-external", participant.ProjectId, participant.Id, external, cancellationToken);
        if (reports is { } form)
        {
            var now = time.GetUtcNow();
            await FormReceivedAsync(project, participant, SummaryEvents.ReceivedFactOf(form), p => p.MarkReceived(form, now), cancellationToken);
        }
    }

    // The step of the participant's pinned workflow: what it declares for the summary (reports: exit, received: […]).
    private async Task<Step?> StepOfAsync(Participant participant, Func<Step, bool> which, CancellationToken cancellationToken) =>
        await workflows.StatusAsync(participant.InstanceId, cancellationToken) is { } status
            ? (await definitions.PinnedAsync(status.Workflow, status.Version, cancellationToken)).Steps.Values.FirstOrDefault(which)
            : null;

    /// <summary>
    /// Stores what a received form changes on the participant and counts it in the monthly summary. A results form
    /// (exit, six months) from someone never marked as left means they left when the project ended.
    /// </summary>
    public async Task FormReceivedAsync(Project project, Participant participant, SummaryFact fact, Action<Participant> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(participant);
        ArgumentNullException.ThrowIfNull(change);
        var results = fact is SummaryFact.ExitReceived or SummaryFact.SixMonthReceived;
        var updated = await UpdateAsync(participant.ProjectId, participant.Id, p =>
        {
            change(p);
            if (results)
            {
                p.LeftAt ??= project.EndsAt;
            }
        }, cancellationToken);
        await summary.RecordAsync(updated, cancellationToken);
    }

    /// <summary>
    /// Completes a coordinator task with one of its outcomes and, when the outcome needs one, a reason. For the task
    /// of a form (its step says <c>reports: exit</c>, or entry, or six-month) the monthly summary hears of it: entered
    /// elsewhere (EURA) counts as received, any other outcome without the form closes it.
    /// </summary>
    /// <returns>Null when done, else why the workflow refused it.</returns>
    public async Task<string?> CompleteTaskAsync(Project project, Participant participant, string taskStep, string outcome, string? reason, string coordinator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(participant);
        // The workflow gets the outcome only: a reason is free text that may name people, so it stays with the participant.
        var result = await workflows.RaiseAsync(participant.InstanceId, new TaskCompleted(taskStep, outcome, "coordinator", Guid.NewGuid().ToString("N")), cancellationToken);
        if (result.Status is RaiseStatus.Rejected)
        {
            return result.Reason;
        }

        await audit.RecordAsync(coordinator, "complete-task", participant.ProjectId, participant.Id, $"{taskStep}: {outcome}", cancellationToken);
        var now = time.GetUtcNow();
        var step = await StepOfAsync(participant, s => s.Id == taskStep, cancellationToken);
        var form = step?.Reports?.Name();
        var received = step is TaskStep task && task.Received.Contains(outcome); // the loader allows received only with reports
        var updated = await UpdateAsync(participant.ProjectId, participant.Id, p =>
        {
            var notes = JsonNode.Parse(p.TaskOutcomes) as JsonObject ?? [];
            notes[taskStep] = new JsonObject { ["outcome"] = outcome, ["reason"] = reason?.Trim(), ["by"] = coordinator, ["at"] = now, ["form"] = form, ["received"] = received };
            p.TaskOutcomes = notes.ToJsonString();
            if (received && step?.Reports is { } reported)
            {
                p.MarkReceived(reported, now); // entered in EURA by the project: the form counts as received
            }

            if (step?.Reports is ReportedForm.Exit or ReportedForm.SixMonth)
            {
                p.LeftAt ??= project.EndsAt;
            }
        }, cancellationToken);
        await tasks.CloseAsync(participant.InstanceId, taskStep, cancellationToken);
        await summary.RecordAsync(updated, cancellationToken);
        return null;
    }

    /// <summary>
    /// Hands the participant over to <paramref name="to"/>, a coordinator of the project: their open tasks go with them. The
    /// audit record keeps who handed over from whom to whom; who enrolled them stays as it was.
    /// </summary>
    /// <returns>False when <paramref name="to"/> does not coordinate the project (nothing changed).</returns>
    public async Task<bool> ReassignAsync(Project project, Participant participant, string to, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(participant);
        var coordinator = project.Coordinators.FirstOrDefault(c => string.Equals(c, to, StringComparison.OrdinalIgnoreCase));
        if (coordinator is null)
        {
            return false;
        }

        var from = participant.AssignedCoordinator();
        if (string.Equals(from, coordinator, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        await UpdateAsync(participant.ProjectId, participant.Id, p => p.Coordinator = coordinator, cancellationToken);
        await tasks.ReassignAsync(participant.InstanceId, coordinator, cancellationToken);
        await audit.RecordAsync(actor, "reassign", participant.ProjectId, participant.Id, $"{from} → {coordinator}", cancellationToken);
        return true;
    }

    /// <summary>
    /// Sets whether the participant is only advised (<paramref name="adviceOnly"/>) or individually guided, audited as
    /// <c>set-service</c>. Once they have left it is fixed, so their exit and its outcome are counted in one group.
    /// </summary>
    /// <returns>False when they have left (nothing was changed).</returns>
    public async Task<bool> SetAdviceOnlyAsync(Participant participant, bool adviceOnly, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(participant);
        var saved = await UpdateAsync(participant.ProjectId, participant.Id, p =>
        {
            if (p.LeftAt is null)
            {
                p.AdviceOnly = adviceOnly;
            }
        }, cancellationToken);
        if (saved.AdviceOnly != adviceOnly)
        {
            return false;
        }

        if (participant.AdviceOnly != adviceOnly)
        {
            await audit.RecordAsync(actor, "set-service", participant.ProjectId, participant.Id, adviceOnly ? "advice-only" : "individual", cancellationToken);
        }

        return true;
    }

    /// <summary>
    /// Corrects a participant's details (GDPR art. 16). The enrolment must have passed <see cref="Check"/>. Each changed
    /// field is kept with its old and new value in the corrections table, which only admins are shown; the audit record
    /// names the fields only. A changed address is usable again (its opt-out or bounce was the old address's), the
    /// contacts index follows it, and the workflow is told of changed addresses and language.
    /// </summary>
    /// <returns>The fields that changed (none: nothing was written).</returns>
    public async Task<IReadOnlyList<string>> RectifyAsync(Participant participant, Enrolment corrected, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(participant);
        if (Check(corrected, out var email, out var phone).Count > 0)
        {
            throw new ArgumentException("The details have problems; check them first.", nameof(corrected));
        }

        var changes = new List<(string Field, string? Old, string? New)>();
        void Compare(string field, string? old, string? value)
        {
            if (!string.Equals(old, value, StringComparison.Ordinal))
            {
                changes.Add((field, old, value));
            }
        }

        Compare("firstName", participant.FirstName, corrected.FirstName.Trim());
        Compare("lastName", participant.LastName, corrected.LastName.Trim());
        Compare("language", participant.Language, corrected.Language);
        Compare("email", participant.Email, email);
        Compare("phone", participant.Phone, phone);
        if (changes.Count == 0)
        {
            return [];
        }

        var updated = await UpdateAsync(participant.ProjectId, participant.Id, p =>
        {
            (p.FirstName, p.LastName, p.Language) = (corrected.FirstName.Trim(), corrected.LastName.Trim(), corrected.Language);
            if (p.Email != email)
            {
                (p.Email, p.EmailState, p.EmailStateAt, p.EmailStateSource) = (email, null, null, null);
            }

            if (p.Phone != phone)
            {
                (p.Phone, p.SmsState, p.SmsStateAt, p.SmsStateSource) = (phone, null, null, null);
            }
        }, cancellationToken);
        // The contacts index and the running workflow follow each changed address: a new one is usable, a removed one
        // missing; a changed language is used from now on.
        await tables.IndexContactsAsync(updated, cancellationToken);
        var at = time.GetUtcNow();
        foreach (var (channel, before, after) in new[] { ("email", participant.Email, email), ("sms", participant.Phone, phone) })
        {
            if (before == after)
            {
                continue;
            }

            if (before is not null)
            {
                await tables.Contacts.DeleteEntityAsync(ParticipantTables.ContactKey(channel, before), participant.InstanceId, Azure.ETag.All, cancellationToken);
            }

            var state = after is null ? "missing" : "ok";
            await workflows.RaiseAsync(participant.InstanceId, new ChannelChanged(channel, state, "corrected", ChannelChanged.IdFor(channel, state, at)), cancellationToken);
        }

        if (participant.Language != corrected.Language)
        {
            await workflows.RaiseAsync(participant.InstanceId, new LanguageChanged(corrected.Language, $"language:{at.UtcTicks}"), cancellationToken);
        }

        foreach (var (field, before, after) in changes)
        {
            await tables.Rectifications.AddEntityAsync(
                new TableEntity(participant.Id, TableRows.NewestFirst(at) + "-" + field + "-" + Guid.NewGuid().ToString("N")[..8])
                {
                    ["ProjectId"] = participant.ProjectId,
                    ["At"] = at,
                    ["By"] = actor,
                    ["Field"] = field,
                    ["Old"] = before ?? "",
                    ["New"] = after ?? "",
                },
                cancellationToken);
        }

        await audit.RecordAsync(actor, "rectify", participant.ProjectId, participant.Id, string.Join(", ", changes.Select(c => c.Field)), cancellationToken);
        return [.. changes.Select(c => c.Field)];
    }

    /// <summary>The corrections of a participant's details, newest first, with old and new values: for admins only.</summary>
    public async Task<IReadOnlyList<Rectification>> RectificationsAsync(string participantId, CancellationToken cancellationToken)
    {
        var list = new List<Rectification>();
        await foreach (var row in tables.Rectifications.QueryAsync<TableEntity>(r => r.PartitionKey == participantId, cancellationToken: cancellationToken))
        {
            list.Add(new Rectification(row.GetDateTimeOffset("At") ?? default, row.GetString("By") ?? "", row.GetString("Field") ?? "", row.GetString("Old") ?? "", row.GetString("New") ?? ""));
        }

        return list;
    }

    /// <summary>The longest session note.</summary>
    public const int NoteLength = 2000;

    /// <summary>
    /// Logs a coaching session, with the coordinator's note (checked by <see cref="PlainText.IsNote"/>; empty for none). A note is
    /// the participant's data: shown on their timeline and in their export, never in a summary, and erased with them.
    /// </summary>
    public async Task LogSessionAsync(Participant participant, DateOnly date, int minutes, string kind, string coordinator, string note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(participant);
        var now = time.GetUtcNow();
        await tables.Sessions.AddEntityAsync(
            new TableEntity(participant.Id, date.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8])
            {
                ["ProjectId"] = participant.ProjectId,
                ["Date"] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["Minutes"] = minutes,
                ["Kind"] = kind,
                ["Coordinator"] = coordinator,
                ["LoggedAt"] = now,
                ["Note"] = note.Trim(),
            },
            cancellationToken);
        var day = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        await tables.UpdateParticipantAsync(participant.ProjectId, participant.Id, p => p.LastContactAt = p.LastContactAt > day ? p.LastContactAt : day, cancellationToken);
        await audit.RecordAsync(coordinator, "log-session", participant.ProjectId, participant.Id, kind, cancellationToken);
    }

    /// <summary>The participant's coaching sessions, oldest first.</summary>
    public async Task<IReadOnlyList<CoachingSession>> SessionsAsync(Participant participant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(participant);
        var sessions = new List<CoachingSession>();
        await foreach (var e in tables.Sessions.QueryAsync<TableEntity>(s => s.PartitionKey == participant.Id, cancellationToken: cancellationToken))
        {
            sessions.Add(new CoachingSession(
                DateOnly.ParseExact(e.GetString("Date"), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                e.GetInt32("Minutes") ?? 0,
                e.GetString("Kind") ?? "",
                e.GetString("Coordinator") ?? "",
                e.GetDateTimeOffset("LoggedAt") ?? default,
                e.GetString("Note") ?? ""));
        }

        return sessions;
    }

    /// <summary>Erases the notes of the participant's sessions; the sessions themselves (day, length, kind) stay with the ESF+ facts.</summary>
    public async Task EraseSessionNotesAsync(Participant participant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(participant);
        foreach (var row in await tables.Sessions.ReadAllAsync(TableClient.CreateQueryFilter($"PartitionKey eq {participant.Id}"), null, cancellationToken))
        {
            if (row.GetString("Note") is { Length: > 0 })
            {
                row["Note"] = "";
                await tables.Sessions.UpdateEntityAsync(row, Azure.ETag.All, TableUpdateMode.Replace, cancellationToken);
            }
        }
    }

    /// <summary>Saves changes to the participant row (status snapshots), retrying on a concurrent change.</summary>
    /// <returns>The row as saved.</returns>
    public Task<Participant> UpdateAsync(string projectId, string participantId, Action<Participant> change, CancellationToken cancellationToken) =>
        tables.UpdateParticipantAsync(projectId, participantId, change, cancellationToken);

    private static bool IsName(string? name) => PlainText.IsShort(name, 60);

    private static string NewId() =>
        string.Create(12, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = IdAlphabet[RandomNumberGenerator.GetInt32(IdAlphabet.Length)];
            }
        });
}
