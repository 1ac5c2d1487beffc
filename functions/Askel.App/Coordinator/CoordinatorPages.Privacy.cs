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
        return CoordinatorLayout.Content(CoordinatorLayout.Render(page with { Path = basePath + "/export" }, title, html =>
        {
            if (p.ErasedAt is null)
            {
                html.Raw($"<p><a href=\"{Html.Encode(page.Href(basePath))}\">").Text(page.T("back-to-participant")).Raw("</a></p>");
            }

            html.Raw("<h1>").Text(title).Raw("</h1><p>").Text(page.T("export-intro", ("date", Time(export.ExportedAt)))).Raw("</p>")
                .Raw($"<p><a href=\"{Html.Encode(basePath + "/export.json")}\" download>").Text(page.T("export-file-link")).Raw("</a></p>");
            if (p.ErasedAt is { } erased)
            {
                html.Raw("<p class=\"note\">").Text(page.T("export-erased", ("date", Time(erased)))).Raw("</p>");
            }

            Details(html, page, p, withName: true);
            JsonSection(html, page, "reported-title", p.Reported);
            JsonSection(html, page, "task-outcomes-title", p.TaskOutcomes);

            Section(html, page, "contacts-index-title", ["col-channel", "col-channel-address"], export.ContactIndex.Select(c => new[] { c.Channel, c.Address }));
            html.Raw("<h2>").Text(page.T("responses-title")).Raw("</h2>");
            if (export.Forms.Count == 0)
            {
                html.Raw("<p>").Text(page.T("none")).Raw("</p>");
            }

            foreach (var form in export.Forms)
            {
                html.Raw("<h3>").Text(form.Form).Raw("</h3><dl class=\"kv\">");
                Pair(html, page.T("col-version"), form.FormVersion);
                Pair(html, page.T("col-filled-by"), form.FilledBy);
                Pair(html, page.T("col-submitted"), Time(form.SubmittedAt));
                Answers(html, form.Answers);
                html.Raw("</dl>");
            }

            html.Raw("<h2>").Text(page.T("drafts-title")).Raw("</h2>");
            if (export.Drafts.Count == 0)
            {
                html.Raw("<p>").Text(page.T("none")).Raw("</p>");
            }

            foreach (var draft in export.Drafts)
            {
                html.Raw("<h3>").Text(draft.Form).Raw("</h3><dl class=\"kv\">");
                Answers(html, draft.Answers);
                html.Raw("</dl>");
            }

            Section(html, page, "sessions-title", ["col-date", "col-minutes", "col-kind", "col-coordinator"],
                export.Sessions.Select(s => new[] { Day(s.Date), s.Minutes.ToString(CultureInfo.InvariantCulture), page.T("kind-" + s.Kind), s.Coordinator }));
            Section(html, page, "links-title", ["col-target", "col-created", "col-expires", "col-current"],
                export.Links.Select(l => new[] { l.Target, l.CreatedAt is { } c ? Time(c) : "", l.ExpiresAt is { } e ? Time(e) : "", l.Current ? page.T("yes") : "" }));
            Section(html, page, "messages-title", ["col-when", "col-channel", "col-provider", "col-status"],
                export.Messages.Select(m => new[] { Time(m.At), m.Channel, m.Provider, page.T("message-" + m.Status) + (m.Reason is null ? "" : $": {m.Reason}") }));
            Section(html, page, "contact-attempts-title", ["col-when", "col-kind", "col-outcome", "col-coordinator"],
                export.ContactAttempts.Select(a => new[] { Time(a.At), page.T("attempt-" + a.Kind), page.T("attempt-" + a.Outcome), a.By }));
            Section(html, page, "tasks-title", ["col-step", "col-coordinator"], export.Tasks.Select(t => new[] { t.Title(page.Language), t.Coordinator }));
            Section(html, page, "summary-owed-title", ["col-form", "col-due"], export.Summary.OwedForms.Select(o => new[] { o.Form, o.DueAt is { } d ? Time(d) : "" }));
            Section(html, page, "summary-counted-title", ["col-counted"], export.Summary.CountedFacts.Select(f => new[] { f }));
            html.Raw("<h2>").Text(page.T("instance-title")).Raw("</h2>");
            if (export.Workflow is { } workflow)
            {
                html.Raw("<dl class=\"kv\">");
                Pair(html, page.T("instance-status"), State(page, workflow.Status));
                html.Raw("</dl>");
                Table(html, page, page.T("history-title"), ["col-when", "col-what", "col-step", "col-detail"], workflow.History.Select(h => new[] { Time(h.At), h.Kind, h.Step ?? "", h.Detail }));
                Section(html, page, "pending-events-title", ["col-when", "col-what"], workflow.PendingEvents.Select(e => new[] { e.At is { } at ? Time(at) : "", e.Name }));
            }
            else
            {
                html.Raw("<p>").Text(page.T("none")).Raw("</p>");
            }

            if (export.Corrections is { } corrections)
            {
                Section(html, page, "rectifications-title", ["col-when", "col-actor", "col-field", "col-old", "col-new"], corrections.Select(c => new[] { Time(c.At), c.By, c.Field, c.Old, c.New }));
            }

            Section(html, page, "audit-title", ["col-when", "col-actor", "col-what", "col-detail"], export.Audit.Select(a => new[] { Time(a.At), a.Actor, a.Action, a.Detail }));
        }));
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
        if (Participants.ParticipantService.Check(corrected, out _, out _) is [var problem, ..])
        {
            var field = problem switch { "first-name-invalid" => "firstName", "last-name-invalid" => "lastName", "language-invalid" => "language", "phone-invalid" => "phone", _ => "email" };
            return await RefuseAsync(action, services, "details", "details-" + field, action.Page.T(problem), cancellationToken);
        }

        var changed = await services.GetRequiredService<Participants.ParticipantService>().RectifyAsync(action.Participant, corrected, action.User, cancellationToken);
        return Done(action, changed.Count == 0 ? "unchanged" : "1");
    }

    // A participant's details, as the export page shows them.
    private static void Details(Html html, PageContext page, ExportedParticipant p, bool withName)
    {
        html.Raw("<h2>").Text(page.T("details-title")).Raw("</h2><dl class=\"kv\">");
        foreach (var (term, value) in DetailsOf(page, p, withName))
        {
            Pair(html, term, value);
        }

        html.Raw("</dl>");
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
            new(page.T("col-entry"), Received(page, p.EntryReceivedAt) + (p.StatusAtEntry is { } se ? $" ({se})" : "")),
            new(page.T("col-exit"), Received(page, p.ExitReceivedAt) + (p.StatusAtExit is { } sx ? $" ({sx})" : "")),
            new(page.T("col-six-month"), Received(page, p.SixMonthReceivedAt) + (p.StatusAtSixMonths is { } ss ? $" ({ss})" : "")),
        ]);
        return details;
    }

    private static void Section(Html html, PageContext page, string title, string[] headers, IEnumerable<string[]> rows)
    {
        var list = rows.ToList();
        html.Raw("<h2>").Text(page.T(title)).Raw("</h2>");
        if (list.Count == 0)
        {
            html.Raw("<p>").Text(page.T("none")).Raw("</p>");
            return;
        }

        Table(html, page, page.T(title), headers, list);
    }

    private static void JsonSection(Html html, PageContext page, string title, JsonObject values)
    {
        html.Raw("<h2>").Text(page.T(title)).Raw("</h2>");
        if (values.Count == 0)
        {
            html.Raw("<p>").Text(page.T("none")).Raw("</p>");
            return;
        }

        html.Raw("<dl class=\"kv\">");
        Answers(html, values);
        html.Raw("</dl>");
    }

    private static void Answers(Html html, JsonObject answers)
    {
        foreach (var (key, value) in answers)
        {
            Pair(html, key, value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "");
        }
    }
}
