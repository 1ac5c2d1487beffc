using Askel.App.Coordinator.Components;
using Askel.App.Forms;
using Askel.App.Guidance;
using Askel.App.Hosting;
using Askel.App.Participants;
using Askel.App.Participants.Import;
using Askel.App.Projects;
using Askel.App.Security;
using Askel.Runtime.Client;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Askel.App.Coordinator;

/// <summary>
/// The coordinator's pages as functions. Every page under <c>/coordinator</c> except the sign-in first signs the user
/// in and requires <see cref="CoordinatorSetup.PagePolicy"/> (<see cref="RequestAccess"/>); each page then checks the
/// project itself (<see cref="CoordinatorPages"/>).
/// </summary>
public sealed class CoordinatorFunctions(
    IServiceProvider services, RequestAccess access, IAntiforgery antiforgery, ProjectCatalog catalog, ParticipantService participants,
    IWorkflowClient workflows, OpenTasks openTasks, GuidanceTally guidance, SatisfactionVotes votes, Cooperation.CooperationRegister cooperation, TimeProvider time, IOptions<AskelOptions> options)
{
    private const string Participant = "coordinator/projects/{projectId}/participants/{id}";

    /// <summary>The local sign-in page (in Azure: a link to Entra ID's).</summary>
    [Function("coordinator-signin-page")]
    public IResult SignInPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "coordinator/signin")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        PageHeaders.ForCoordinatorPage(request.HttpContext);
        return CoordinatorSetup.SignInPage(request.HttpContext, options, catalog, antiforgery, request.Query.TryGetValue("returnUrl", out var returnUrl) ? returnUrl.ToString() : null);
    }

    /// <summary>The coordinator pages' style sheet (public: it holds no data, and the refusal pages need it before sign-in).</summary>
    [Function("coordinator-style")]
    public IResult Style([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "coordinator/style.css")] HttpRequest request) => CoordinatorStyle.Serve(request);

    /// <summary>Signs a local user in.</summary>
    [Function("coordinator-signin")]
    public Task<IResult> SignInAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "coordinator/signin")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        PageHeaders.ForCoordinatorPage(request.HttpContext);
        return CoordinatorSetup.SignInAsync(request.HttpContext, options, catalog, antiforgery);
    }

    /// <summary>Signs the user out.</summary>
    [Function("coordinator-signout")]
    public Task<IResult> SignOutAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "coordinator/signout")] HttpRequest request) =>
        Allowed(request, () => CoordinatorSetup.SignOutAsync(request.HttpContext, antiforgery, options));

    /// <summary>The landing page: the user's work queue and projects.</summary>
    [Function("coordinator-projects")]
    public Task<IResult> ProjectsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "coordinator")] HttpRequest request, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.ProjectsAsync(request.HttpContext, catalog, services.GetRequiredService<WorkQueue>(), antiforgery, cancellationToken));

    /// <summary>Switches the user's daily digest email on or off.</summary>
    [Function("coordinator-digest")]
    public Task<IResult> SwitchDigestAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "coordinator/digest")] HttpRequest request, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.SwitchDigestAsync(request.HttpContext, catalog, antiforgery, cancellationToken));

    /// <summary>The local file outbox (where email and SMS go when no provider sends them).</summary>
    [Function("coordinator-outbox")]
    public Task<IResult> OutboxAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "coordinator/outbox")] HttpRequest request) =>
        Allowed(request, () => Task.FromResult(CoordinatorPages.OutboxAsync(
            request.HttpContext, services, antiforgery, request.Query.TryGetValue("instance", out var instance) ? instance.ToString() : null)));

    /// <summary>A project: its participants and open tasks.</summary>
    [Function("coordinator-project")]
    public Task<IResult> ProjectAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "coordinator/projects/{projectId}")] HttpRequest request, string projectId, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.ProjectAsync(projectId, request.HttpContext, catalog, participants, workflows, openTasks, antiforgery, cancellationToken));

    /// <summary>The project's participants searched by name, phone or email (posted: the search text stays out of the address).</summary>
    [Function("coordinator-project-search")]
    public Task<IResult> SearchProjectAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "coordinator/projects/{projectId}")] HttpRequest request, string projectId, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.SearchProjectAsync(projectId, request.HttpContext, catalog, participants, workflows, openTasks, antiforgery, cancellationToken));

    /// <summary>The project's list, as searched and filtered, as a CSV or XLSX file.</summary>
    [Function("coordinator-project-export")]
    public Task<IResult> ExportListAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "coordinator/projects/{projectId}/export")] HttpRequest request, string projectId, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.ExportListAsync(projectId, request.HttpContext, catalog, participants, workflows, antiforgery, cancellationToken));

    /// <summary>The import page: choose a CSV or XLSX file.</summary>
    [Function("coordinator-import-page")]
    public Task<IResult> ImportPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "coordinator/projects/{projectId}/import")] HttpRequest request, string projectId) =>
        Allowed(request, () => Task.FromResult(CoordinatorPages.ImportPage(projectId, request.HttpContext, catalog, antiforgery)));

    /// <summary>The preview of an uploaded file: what would be enrolled, and each row's problems; nothing is enrolled.</summary>
    [Function("coordinator-import-preview")]
    public Task<IResult> PreviewImportAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "coordinator/projects/{projectId}/import")] HttpRequest request, string projectId, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.PreviewImportAsync(projectId, request.HttpContext, catalog, services.GetRequiredService<ParticipantImport>(), antiforgery, cancellationToken));

    /// <summary>Enrols the valid rows of a previewed file.</summary>
    [Function("coordinator-import-confirm")]
    public Task<IResult> ConfirmImportAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "coordinator/projects/{projectId}/import/{importId}")] HttpRequest request, string projectId, string importId, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.ConfirmImportAsync(projectId, importId, request.HttpContext, catalog, services.GetRequiredService<ParticipantImport>(), antiforgery, cancellationToken));

    /// <summary>One group session logged for the participants ticked on the list.</summary>
    [Function("coordinator-group-session")]
    public Task<IResult> LogGroupSessionAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "coordinator/projects/{projectId}/sessions")] HttpRequest request, string projectId, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.LogGroupSessionAsync(projectId, request.HttpContext, catalog, participants, antiforgery, cancellationToken));

    /// <summary>The one-screen form for an anonymous guidance contact.</summary>
    [Function("coordinator-guidance-page")]
    public Task<IResult> GuidancePage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "coordinator/projects/{projectId}/guidance")] HttpRequest request, string projectId) =>
        Allowed(request, () => Task.FromResult(CoordinatorPages.GuidancePage(projectId, request.HttpContext, catalog, votes, time, antiforgery)));

    /// <summary>Records an anonymous guidance contact.</summary>
    [Function("coordinator-guidance")]
    public Task<IResult> RecordGuidanceAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "coordinator/projects/{projectId}/guidance")] HttpRequest request, string projectId, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.RecordGuidanceAsync(projectId, request.HttpContext, catalog, guidance, votes, time, antiforgery, cancellationToken));

    /// <summary>The employer register and its form.</summary>
    [Function("coordinator-employers-page")]
    public Task<IResult> EmployersPageAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "coordinator/projects/{projectId}/employers")] HttpRequest request, string projectId, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.EmployersPageAsync(projectId, request.HttpContext, catalog, cooperation, time, antiforgery, cancellationToken));

    /// <summary>Registers or edits an employer.</summary>
    [Function("coordinator-employers")]
    public Task<IResult> SaveEmployerAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "coordinator/projects/{projectId}/employers")] HttpRequest request, string projectId, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.SaveEmployerAsync(projectId, request.HttpContext, catalog, cooperation, time, antiforgery, cancellationToken));

    /// <summary>The event log and its form.</summary>
    [Function("coordinator-events-page")]
    public Task<IResult> EventsPageAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "coordinator/projects/{projectId}/events")] HttpRequest request, string projectId, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.EventsPageAsync(projectId, request.HttpContext, catalog, cooperation, votes, time, antiforgery, cancellationToken));

    /// <summary>Records or edits an event.</summary>
    [Function("coordinator-events")]
    public Task<IResult> SaveEventAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "coordinator/projects/{projectId}/events")] HttpRequest request, string projectId, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.SaveEventAsync(projectId, request.HttpContext, catalog, cooperation, time, antiforgery, cancellationToken));

    /// <summary>The enrolment form.</summary>
    [Function("coordinator-enrol-page")]
    public Task<IResult> EnrolPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "coordinator/projects/{projectId}/participants/new")] HttpRequest request, string projectId) =>
        Allowed(request, () => Task.FromResult(CoordinatorPages.EnrolPage(projectId, request.HttpContext, catalog, antiforgery)));

    /// <summary>Enrols a participant.</summary>
    [Function("coordinator-enrol")]
    public Task<IResult> EnrolAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "coordinator/projects/{projectId}/participants/new")] HttpRequest request, string projectId, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.EnrolAsync(projectId, request.HttpContext, catalog, participants, antiforgery, cancellationToken));

    /// <summary>A participant's timeline and actions.</summary>
    [Function("coordinator-timeline")]
    public Task<IResult> TimelineAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Participant)] HttpRequest request, string projectId, string id, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.TimelineAsync(projectId, id, request.HttpContext, services, antiforgery, cancellationToken));

    /// <summary>Logs a coaching session.</summary>
    [Function("coordinator-log-session")]
    public Task<IResult> LogSessionAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Participant + "/sessions")] HttpRequest request, string projectId, string id, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.LogSessionAsync(projectId, id, request.HttpContext, services, antiforgery, cancellationToken));

    /// <summary>Makes a channel marked invalid or opted out usable again.</summary>
    [Function("coordinator-reenable-channel")]
    public Task<IResult> ReenableChannelAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Participant + "/channels/{channel}/reenable")] HttpRequest request, string projectId, string id, string channel, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.ReenableChannelAsync(projectId, id, channel, request.HttpContext, services, antiforgery, cancellationToken));

    /// <summary>Logs a contact made outside Askel.</summary>
    [Function("coordinator-log-attempt")]
    public Task<IResult> LogAttemptAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Participant + "/attempts")] HttpRequest request, string projectId, string id, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.LogAttemptAsync(projectId, id, request.HttpContext, services, antiforgery, cancellationToken));

    /// <summary>Corrects the participant's details.</summary>
    [Function("coordinator-rectify")]
    public Task<IResult> RectifyAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Participant + "/details")] HttpRequest request, string projectId, string id, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.RectifyAsync(projectId, id, request.HttpContext, services, antiforgery, cancellationToken));

    /// <summary>Records a consent the participant gave.</summary>
    [Function("coordinator-consent")]
    public Task<IResult> RecordConsentAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Participant + "/consents")] HttpRequest request, string projectId, string id, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.RecordConsentAsync(projectId, id, request.HttpContext, services, antiforgery, cancellationToken));

    /// <summary>Withdraws one of the participant's consents.</summary>
    [Function("coordinator-consent-withdraw")]
    public Task<IResult> WithdrawConsentAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Participant + "/consents/{consentId}/withdraw")] HttpRequest request, string projectId, string id, string consentId,
        CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.WithdrawConsentAsync(projectId, id, consentId, request.HttpContext, services, antiforgery, cancellationToken));

    /// <summary>Records that the participant was placed at an employer or attended an event.</summary>
    [Function("coordinator-participation")]
    public Task<IResult> RecordParticipationAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Participant + "/cooperation")] HttpRequest request, string projectId, string id, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.RecordParticipationAsync(projectId, id, request.HttpContext, services, antiforgery, cancellationToken));

    /// <summary>Takes back a placement or an attended event recorded by mistake.</summary>
    [Function("coordinator-participation-remove")]
    public Task<IResult> RemoveParticipationAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Participant + "/cooperation/remove")] HttpRequest request, string projectId, string id, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.RemoveParticipationAsync(projectId, id, request.HttpContext, services, antiforgery, cancellationToken));

    /// <summary>The participant's plan and the form that reviews it.</summary>
    [Function("coordinator-plan-page")]
    public Task<IResult> PlanPageAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Participant + "/plan")] HttpRequest request, string projectId, string id, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.PlanPageAsync(projectId, id, request.HttpContext, services, antiforgery, cancellationToken));

    /// <summary>Saves the participant's plan as its next version.</summary>
    [Function("coordinator-plan")]
    public Task<IResult> SavePlanAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Participant + "/plan")] HttpRequest request, string projectId, string id, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.SavePlanAsync(projectId, id, request.HttpContext, services, antiforgery, cancellationToken));

    /// <summary>Sets whether the participant is individually guided or only advised.</summary>
    [Function("coordinator-service")]
    public Task<IResult> SetServiceAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Participant + "/service")] HttpRequest request, string projectId, string id, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.SetServiceAsync(projectId, id, request.HttpContext, services, antiforgery, cancellationToken));

    /// <summary>Hands the participant over to another coordinator of the project.</summary>
    [Function("coordinator-reassign")]
    public Task<IResult> ReassignAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Participant + "/coordinator")] HttpRequest request, string projectId, string id, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.ReassignAsync(projectId, id, request.HttpContext, services, antiforgery, cancellationToken));

    /// <summary>The project's caseload of one coordinator handed over to another.</summary>
    [Function("coordinator-handover")]
    public Task<IResult> HandOverAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "coordinator/projects/{projectId}/handover")] HttpRequest request, string projectId, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.HandOverAsync(projectId, request.HttpContext, catalog, participants, antiforgery, cancellationToken));

    /// <summary>Marks the participant as having left.</summary>
    [Function("coordinator-mark-left")]
    public Task<IResult> MarkLeftAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Participant + "/left")] HttpRequest request, string projectId, string id, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.MarkLeftAsync(projectId, id, request.HttpContext, services, antiforgery, cancellationToken));

    /// <summary>Completes a coordinator task of the workflow with an outcome.</summary>
    [Function("coordinator-complete-task")]
    public Task<IResult> CompleteTaskAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Participant + "/tasks/{step}")] HttpRequest request, string projectId, string id, string step, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.CompleteTaskAsync(projectId, id, step, request.HttpContext, services, antiforgery, cancellationToken));

    /// <summary>Confirms a form answered in another system.</summary>
    [Function("coordinator-confirm-external")]
    public Task<IResult> ConfirmExternalAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Participant + "/external/{name}")] HttpRequest request, string projectId, string id, string name, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.ConfirmExternalAsync(projectId, id, name, request.HttpContext, services, antiforgery, cancellationToken));

    /// <summary>The participant's current form link, to read out or show as a QR code.</summary>
    [Function("coordinator-link")]
    public Task<IResult> ShowLinkAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Participant + "/link")] HttpRequest request, string projectId, string id, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.ShowLinkAsync(projectId, id, request.HttpContext, services, antiforgery, cancellationToken));

    /// <summary>Sends the participant a new link.</summary>
    [Function("coordinator-new-link")]
    public Task<IResult> NewLinkAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Participant + "/link")] HttpRequest request, string projectId, string id, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.NewLinkAsync(projectId, id, request.HttpContext, services, antiforgery, cancellationToken));

    /// <summary>A form the coordinator fills in with the participant (assisted).</summary>
    [Function("coordinator-assisted-form")]
    public Task<IResult> AssistedShowAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Participant + "/forms/{form}")] HttpRequest request, string projectId, string id, string form, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.AssistedShowAsync(projectId, id, form, request.HttpContext, services, antiforgery, cancellationToken));

    /// <summary>An assisted form's page of answers.</summary>
    [Function("coordinator-assisted-form-post")]
    public Task<IResult> AssistedPostAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Participant + "/forms/{form}")] HttpRequest request, string projectId, string id, string form, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.AssistedPostAsync(projectId, id, form, request.HttpContext, services, antiforgery, cancellationToken));

    /// <summary>After an assisted form: back to the timeline.</summary>
    [Function("coordinator-assisted-form-done")]
    public Task<IResult> AssistedDoneAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Participant + "/forms/{form}/done")] HttpRequest request, string projectId, string id) =>
        Allowed(request, () => Task.FromResult(FormFlow.SeeOther($"/coordinator/projects/{projectId}/participants/{id}?saved=form")));

    /// <summary>Everything kept about a participant, as a page (their right of access).</summary>
    [Function("coordinator-export")]
    public Task<IResult> ExportPageAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Participant + "/export")] HttpRequest request, string projectId, string id, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.ExportPageAsync(projectId, id, request.HttpContext, services, antiforgery, cancellationToken));

    /// <summary>Everything kept about a participant, as a machine-readable file (their right to data portability).</summary>
    [Function("coordinator-export-json")]
    public Task<IResult> ExportFileAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Participant + "/export.json")] HttpRequest request, string projectId, string id, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.ExportFileAsync(projectId, id, request.HttpContext, services, antiforgery, cancellationToken));

    /// <summary>Erases a participant's identifying data (their right to erasure).</summary>
    [Function("coordinator-erase")]
    public Task<IResult> EraseAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Participant + "/erase")] HttpRequest request, string projectId, string id, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.EraseAsync(projectId, id, request.HttpContext, services, antiforgery, cancellationToken));

    /// <summary>The audit log, searched by an admin.</summary>
    [Function("coordinator-audit")]
    public Task<IResult> AuditAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "coordinator/audit")] HttpRequest request, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.AuditSearchAsync(request.HttpContext, services, antiforgery, cancellationToken));

    /// <summary>The audit log's search as CSV.</summary>
    [Function("coordinator-audit-csv")]
    public Task<IResult> AuditCsvAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "coordinator/audit.csv")] HttpRequest request, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.AuditCsvAsync(request.HttpContext, services, antiforgery, cancellationToken));

    /// <summary>Every project's settings, for an admin.</summary>
    [Function("coordinator-settings")]
    public Task<IResult> SettingsListAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "coordinator/admin/projects")] HttpRequest request, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.SettingsListAsync(request.HttpContext, catalog, Settings, antiforgery, cancellationToken));

    /// <summary>The form for a new project.</summary>
    [Function("coordinator-settings-new")]
    public Task<IResult> NewProjectAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "coordinator/admin/new-project")] HttpRequest request, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.SettingsPageAsync(null, request.HttpContext, catalog, Settings, antiforgery, cancellationToken));

    /// <summary>Creates a project from the new project's form.</summary>
    [Function("coordinator-settings-create")]
    public Task<IResult> CreateProjectAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "coordinator/admin/projects")] HttpRequest request, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.SaveSettingsAsync(null, request.HttpContext, catalog, Settings, antiforgery, cancellationToken));

    /// <summary>A project's settings form.</summary>
    [Function("coordinator-settings-page")]
    public Task<IResult> SettingsPageAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "coordinator/admin/projects/{projectId}")] HttpRequest request, string projectId, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.SettingsPageAsync(projectId, request.HttpContext, catalog, Settings, antiforgery, cancellationToken));

    /// <summary>Saves a project's settings.</summary>
    [Function("coordinator-settings-save")]
    public Task<IResult> SaveSettingsAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "coordinator/admin/projects/{projectId}")] HttpRequest request, string projectId, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.SaveSettingsAsync(projectId, request.HttpContext, catalog, Settings, antiforgery, cancellationToken));

    /// <summary>A project's settings as its file.</summary>
    [Function("coordinator-settings-yaml")]
    public Task<IResult> ExportSettingsAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "coordinator/admin/projects/{projectId}/yaml")] HttpRequest request, string projectId, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.ExportSettingsAsync(projectId, request.HttpContext, catalog, Settings, antiforgery, cancellationToken));

    /// <summary>A workflow's page: its diagram, its steps in words, its forms and messages.</summary>
    [Function("coordinator-workflow")]
    public Task<IResult> WorkflowAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "coordinator/workflows/{name}")] HttpRequest request, string name, CancellationToken cancellationToken) =>
        Allowed(request, () => Task.FromResult(CoordinatorPages.Workflow(name, request.HttpContext, catalog, antiforgery)));

    /// <summary>The simulation page: a workflow run for an imagined cohort, with hand-chosen rates or a project's own.</summary>
    [Function("coordinator-simulate")]
    public Task<IResult> SimulateAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "coordinator/simulate")] HttpRequest request, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.SimulationAsync(request.HttpContext, catalog, antiforgery, cancellationToken));

    /// <summary>A project's monthly summary.</summary>
    [Function("coordinator-summary")]
    public Task<IResult> SummaryAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "coordinator/projects/{projectId}/summary")] HttpRequest request, string projectId, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.SummaryAsync(projectId, request.HttpContext, services, antiforgery, cancellationToken));

    /// <summary>The monthly summary as an XLSX workbook.</summary>
    [Function("coordinator-summary-xlsx")]
    public Task<IResult> SummaryWorkbookAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "coordinator/projects/{projectId}/summary.xlsx")] HttpRequest request, string projectId, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.SummaryFileAsync(projectId, "xlsx", request.HttpContext, services, antiforgery, cancellationToken));

    /// <summary>The monthly summary as CSV.</summary>
    [Function("coordinator-summary-csv")]
    public Task<IResult> SummaryCsvAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "coordinator/projects/{projectId}/summary.csv")] HttpRequest request, string projectId, CancellationToken cancellationToken) =>
        Allowed(request, () => CoordinatorPages.SummaryFileAsync(projectId, "csv", request.HttpContext, services, antiforgery, cancellationToken));

    private ProjectSettings Settings => services.GetRequiredService<ProjectSettings>();

    private Task<IResult> Allowed(HttpRequest request, Func<Task<IResult>> page)
    {
        PageHeaders.ForCoordinatorPage(request.HttpContext);
        // Until the saved settings are read, projects would open on their files' (a coordinator removed in the app among them).
        return Settings.IsLoaded
            ? access.WhenAllowedAsync(request, CoordinatorSetup.PagePolicy, page)
            : Task.FromResult(CoordinatorPages.NotReady(request.HttpContext, antiforgery));
    }
}
