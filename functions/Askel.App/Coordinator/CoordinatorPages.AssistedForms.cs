using Askel.App.Audit;
using Askel.App.Forms;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Runtime.Definitions;
using Askel.Runtime.Client;
using Microsoft.AspNetCore.Antiforgery;

namespace Askel.App.Coordinator;

/// <summary>Filling a form with the participant (recorded as assisted).</summary>
public static partial class CoordinatorPages
{
    private static async Task<(FormSession? Session, IResult? Refusal)> OpenFormAsync(
        string projectId, string id, string form, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, string? postedLanguage, CancellationToken cancellationToken)
    {
        var page = Page(context, antiforgery);
        if (await FindParticipantAsync(services, context.User, projectId, id, cancellationToken) is not (var project, var participant))
        {
            return (null, NotFound(page));
        }

        // The form as the participant's workflow version pinned it, as their own link opens it.
        var state = await services.GetRequiredService<IWorkflowClient>().StatusAsync(participant.InstanceId, cancellationToken);
        var version = WorkflowVersion.Of(state?.Workflow, state?.Version);
        if (await services.GetRequiredService<PinnedForms>().FindAsync(form, version, cancellationToken) is not { } definition)
        {
            return (null, NotFound(page));
        }

        var basePath = $"/coordinator/projects/{project.Id}/participants/{participant.Id}";
        var responses = services.GetRequiredService<FormResponses>();
        if (await responses.IsSubmittedAsync(participant.Id, form, cancellationToken))
        {
            await responses.ResumeAsync(participant, definition, cancellationToken);
            return (null, FormFlow.SeeOther($"{basePath}?saved=form"));
        }

        var language = ParticipantPageEndpoints.Language(context, participant.Language, postedLanguage);
        return (new FormSession(participant, definition, language, $"{basePath}/forms/{form}", Assisted: true, Actor: UserName(context.User), page.Antiforgery), null);
    }

    internal static async Task<IResult> AssistedShowAsync(string projectId, string id, string form, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (session, refusal) = await OpenFormAsync(projectId, id, form, context, services, antiforgery, null, cancellationToken);
        if (session is null)
        {
            return refusal!;
        }

        await services.GetRequiredService<AuditLog>().RecordAsync(session.Actor, "open-form-assisted", session.Participant.ProjectId, session.Participant.Id, form, cancellationToken);
        return await services.GetRequiredService<FormFlow>().ShowAsync(session, context.Request.Query["page"], cancellationToken);
    }

    // The form's pages carry the antiforgery field like every coordinator form: under Easy Auth the session cookie,
    // not a SameSite=Strict one of ours, is what signs the coordinator in.
    internal static async Task<IResult> AssistedPostAsync(string projectId, string id, string form, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (await ReadAsync(context, antiforgery) is not { } posted)
        {
            return BadRequest(context, antiforgery);
        }

        var (session, refusal) = await OpenFormAsync(projectId, id, form, context, services, antiforgery, posted["lang"], cancellationToken);
        if (session is null)
        {
            return refusal!;
        }

        var result = await services.GetRequiredService<FormFlow>().PostAsync(session, posted, cancellationToken);
        if (await services.GetRequiredService<FormResponses>().IsSubmittedAsync(session.Participant.Id, form, cancellationToken))
        {
            // Filled in together: a task that asked for exactly that is done.
            var state = await services.GetRequiredService<IWorkflowClient>().StatusAsync(session.Participant.InstanceId, cancellationToken);
            if (state?.Waiting is AwaitingTask { Step: var step })
            {
                var tasks = await services.GetRequiredService<OpenTasks>().ListAsync(
                    session.Participant.InstanceId + ".",
                    new Dictionary<string, WorkflowStatus?>(StringComparer.Ordinal) { [session.Participant.InstanceId] = state }, cancellationToken);
                if (tasks.Any(t => t.Step == step && t.Outcomes.Contains("filled-together"))
                    && services.GetRequiredService<ProjectCatalog>().Find(projectId) is { } project)
                {
                    await services.GetRequiredService<ParticipantService>().CompleteTaskAsync(
                        project, session.Participant, step, "filled-together", $"{form} filled in together", session.Actor, cancellationToken);
                }
            }
        }

        return result;
    }

    private static IReadOnlyList<string> AssistedForms(IServiceProvider services, WorkflowStatus? state) => state?.Awaiting switch
    {
        AwaitingForm { Form: var form } => [form],
        // A task after an unanswered form: the form is what to fill in together.
        AwaitingTask { Step: var task } when services.GetRequiredService<WorkflowCatalog>().TryGet(state.Workflow, out var definition) =>
            [.. definition.Steps.Values.OfType<AskStep>().Where(a => a.OnExpired == task).Select(a => a.Form).Distinct()],
        _ => [],
    };
}
