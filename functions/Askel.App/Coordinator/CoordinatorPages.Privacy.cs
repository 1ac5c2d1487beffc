using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Askel.App.Coordinator.Components;
using Askel.App.Forms;
using Askel.App.Privacy;
using Microsoft.AspNetCore.Antiforgery;
using static Askel.App.Coordinator.Components.Formats;

namespace Askel.App.Coordinator;

/// <summary>A participant's data-subject rights: everything kept about them, as a page and as a file, and erasure.</summary>
public static partial class CoordinatorPages
{
    private static readonly JsonSerializerOptions ExportJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a download (nosniff, attachment), never inlined in a page
        Converters = { new JsonStringEnumConverter() },
    };

    internal static async Task<IResult> ExportPageAsync(string projectId, string id, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var page = Page(context, antiforgery);
        if (await ExportAsync(projectId, id, context, services, "page", cancellationToken) is not { } export)
        {
            return NotFound(page);
        }

        var p = export.Participant;
        var name = $"{p.FirstName} {p.LastName}".Trim() is { Length: > 0 } full ? full : p.ParticipantId;
        var basePath = $"/coordinator/projects/{p.ProjectId}/participants/{p.ParticipantId}";
        var title = page.T("export-title", ("name", name));
        static IReadOnlyList<IReadOnlyList<string>> Rows<T>(IEnumerable<T> items, Func<T, IReadOnlyList<string>> cells) => [.. items.Select(cells)];
        TextTable Table(string titleKey, string[] headers, IReadOnlyList<IReadOnlyList<string>> rows) => new(page.T(titleKey), headers, rows);
        static TitledTerms Terms(string heading, IEnumerable<TermValue> items) => new(heading, [.. items]);
        static IEnumerable<TermValue> Answers(JsonObject answers) => answers.Select(a => TermValue.Answer(a.Key, a.Value));
        var model = new ExportView(
            title, basePath, p.ErasedAt, export.ExportedAt, DetailsOf(page, p, withName: true),
            Terms(page.T("reported-title"), Answers(p.Reported)), Terms(page.T("task-outcomes-title"), Answers(p.TaskOutcomes)),
            Table("contacts-index-title", ["col-channel", "col-channel-address"], Rows(export.ContactIndex, c => [c.Channel, c.Address])),
            [.. export.Forms.Select(form => Terms(form.Form,
                new TermValue[] { new(page.T("col-version"), form.FormVersion), new(page.T("col-filled-by"), form.FilledBy), new(page.T("col-submitted"), Time(form.SubmittedAt)) }
                    .Concat(Answers(form.Answers))))],
            [.. export.Drafts.Select(draft => Terms(draft.Form, Answers(draft.Answers)))],
            [
                Table("sessions-title", ["col-date", "col-minutes", "col-kind", "col-coordinator", "col-note"],
                    Rows(export.Sessions, s => [Day(s.Date), s.Minutes.ToString(CultureInfo.InvariantCulture), page.T("kind-" + s.Kind), s.Coordinator, s.Note])),
                Table("plan-history", ["plan-version", "col-when", "col-by", "plan-review-on", "plan-goals-steps"],
                    Rows(export.Plans, v => [Number(v.Version), Time(v.SavedAt), v.SavedBy, Day(v.ReviewOn), string.Join("; ", [
                        .. v.Goals.Select(g => $"{page.T("plan-goal-" + g.Type)}: {g.Text}"),
                        .. v.Steps.Select(s => $"{s.Text} ({page.T("plan-owner-" + s.Owner)}, {Day(s.Due)}{(s.Done ? ", " + page.T("plan-done") : "")})")])])),
                Table("links-title", ["col-target", "col-created", "col-expires", "col-current"],
                    Rows(export.Links, l => [l.Target, l.CreatedAt is { } c ? Time(c) : "", l.ExpiresAt is { } e ? Time(e) : "", l.Current ? page.T("yes") : ""])),
                Table("messages-title", ["col-when", "col-channel", "col-provider", "col-status"],
                    Rows(export.Messages, m => [Time(m.At), m.Channel, m.Provider, page.T("message-" + m.Status) + (m.Reason is null ? "" : $": {m.Reason}")])),
                Table("contact-attempts-title", ["col-when", "col-kind", "col-outcome", "col-coordinator"],
                    Rows(export.ContactAttempts, a => [Time(a.At), page.T("attempt-" + a.Kind), page.T("attempt-" + a.Outcome), a.By])),
                Table("consents-title", ["consent-scope", "consent-basis", "consent-given", "consent-form", "col-by", "consent-withdrawn"],
                    Rows(export.Consents, c => [
                        ConsentSection.ScopeOf(page, c), page.T("consent-basis-" + c.Basis),
                        Day(c.GivenOn), $"{page.T("consent-medium-" + c.Medium)}: {c.FormVersion}", c.RecordedBy, c.WithdrawnOn is { } w ? $"{Day(w)} ({c.WithdrawnBy})" : ""])),
                Table("participation-title", ["col-kind", "participation-subject", "participation-since", "col-by"],
                    Rows(export.Cooperation, c => [page.T("participation-kind-" + c.Kind), c.SubjectId, Day(c.Since), c.RecordedBy])),
                Table("tasks-title", ["col-step", "col-coordinator"], Rows(export.Tasks, t => [t.Title(page.Language), t.Coordinator])),
                Table("summary-owed-title", ["col-form", "col-due"], Rows(export.Summary.OwedForms, o => [o.Form, o.DueAt is { } d ? Time(d) : ""])),
                Table("summary-counted-title", ["col-counted"], Rows(export.Summary.CountedFacts, f => [f])),
            ],
            export.Workflow is { } workflow
                ? new ExportedWorkflowView(
                    State(page, workflow.Status),
                    Table("history-title", ["col-when", "col-what", "col-step", "col-detail"], Rows(workflow.History, h => [Time(h.At), h.Kind, h.Step ?? "", h.Detail])),
                    Table("pending-events-title", ["col-when", "col-what"], Rows(workflow.PendingEvents, e => [e.At is { } at ? Time(at) : "", e.Name])))
                : null,
            export.Corrections is { } corrections ? Corrections(page, corrections) : null,
            Table("audit-title", ["col-when", "col-actor", "col-what", "col-detail"], Rows(export.Audit, a => [Time(a.At), a.Actor, a.Action, a.Detail])));
        return new ComponentPage<ExportPage, ExportView>(page with { Path = basePath + "/export" }, model, StatusCodes.Status200OK);
    }

    internal static async Task<IResult> ExportFileAsync(string projectId, string id, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (await ExportAsync(projectId, id, context, services, "json", cancellationToken) is not { } export)
        {
            return NotFound(Page(context, antiforgery));
        }

        context.Response.Headers.ContentDisposition = $"attachment; filename=\"askel-{export.Participant.ProjectId}-{export.Participant.ParticipantId}.json\"";
        return Results.Text(JsonSerializer.Serialize(export, ExportJson), "application/json", System.Text.Encoding.UTF8);
    }

    internal static async Task<IResult> EraseAsync(string projectId, string id, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (action, refusal) = await OpenActionAsync(projectId, id, context, services, antiforgery, cancellationToken);
        if (action is null)
        {
            return refusal!;
        }

        if (action.Posted["confirm"] != "yes")
        {
            return await RefuseAsync(action, services, "erase", "confirm", action.Page.T("erase-confirm-required"), cancellationToken);
        }

        await services.GetRequiredService<ParticipantRecords>().EraseAsync(action.Project.Id, action.Participant.Id, action.User, "erasure requested", cancellationToken);
        return FormFlow.SeeOther(action.Page.Href($"/coordinator/projects/{action.Project.Id}?saved=erased"));
    }

    // The project must be one the user may open; the participant may be erased already (what is left is theirs to see).
    private static async Task<ParticipantExport?> ExportAsync(string projectId, string id, HttpContext context, IServiceProvider services, string format, CancellationToken cancellationToken) =>
        Find(services.GetRequiredService<Projects.ProjectCatalog>(), context.User, projectId) is { } project
            ? await services.GetRequiredService<ParticipantRecords>().ExportAsync(project.Id, id, UserName(context.User), format, context.User.IsInRole(Security.AskelRoles.Admin), cancellationToken)
            : null;

    internal static async Task<IResult> RectifyAsync(string projectId, string id, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (action, refusal) = await OpenActionAsync(projectId, id, context, services, antiforgery, cancellationToken);
        if (action is null)
        {
            return refusal!;
        }

        var posted = action.Posted;
        var corrected = new Participants.Enrolment(posted["firstName"].ToString(), posted["lastName"].ToString(), posted["language"].ToString(), posted["email"].ToString(), posted["phone"].ToString(), false);
        if (Participants.ParticipantService.Check(corrected, out _, out _, CorrectionLanguages(action.Project, action.Participant)) is [var problem, ..])
        {
            var field = problem switch { "first-name-invalid" => "firstName", "last-name-invalid" => "lastName", "language-invalid" => "language", "phone-invalid" => "phone", _ => "email" };
            return await RefuseAsync(action, services, "details", "details-" + field, action.Page.T(problem), cancellationToken);
        }

        var changed = await services.GetRequiredService<Participants.ParticipantService>().RectifyAsync(action.Participant, corrected, action.User, cancellationToken);
        return Done(action, changed.Count == 0 ? "unchanged" : "1");
    }

    // A participant's details, as the timeline and the export page show them.
    private static List<TermValue> DetailsOf(PageContext page, ExportedParticipant p, bool withName)
    {
        List<TermValue> details = withName ? [new(page.T("col-name"), $"{p.FirstName} {p.LastName}")] : [];
        details.AddRange(
        [
            new(page.T("col-language"), LanguageName(p.Language)),
            new(page.T("email"), ChannelState(page, p.Email, p.EmailState, p.EmailStateAt, p.EmailStateSource)),
            new(page.T("phone"), ChannelState(page, p.Phone, p.SmsState, p.SmsStateAt, p.SmsStateSource)),
            new(page.T("enrolled"), Time(p.EnrolledAt)),
            new(page.T("enrolled-by"), p.EnrolledBy),
            new(page.T("coordinator"), p.Coordinator ?? p.EnrolledBy),
            new(page.T("last-contact"), p.LastContactAt is { } contact ? Time(contact) : "–"),
            new(page.T("left-at"), p.LeftAt is { } left ? Day(DateOnly.FromDateTime(left.UtcDateTime)) : "–"),
            new(page.T("service-title"), page.T(p.AdviceOnly ? "service-advice-only" : "service-individual")),
            new(page.T("col-entry"), Received(page, p.EntryReceivedAt) + (p.StatusAtEntry is { } se ? $" ({se})" : "")),
            new(page.T("col-exit"), Received(page, p.ExitReceivedAt) + (p.StatusAtExit is { } sx ? $" ({sx})" : "")),
            new(page.T("col-six-month"), Received(page, p.SixMonthReceivedAt) + (p.StatusAtSixMonths is { } ss ? $" ({ss})" : "")),
        ]);
        return details;
    }

    // A correction may keep the language someone has, even when the project no longer offers it.
    private static IReadOnlyList<string> CorrectionLanguages(Projects.Project project, Participants.Participant participant) =>
        project.Offered.Contains(participant.Language) ? project.Offered : [.. project.Offered, participant.Language];
}
