using System.Globalization;
using Askel.App.Cooperation;
using Askel.App.Coordinator.Components;
using Microsoft.AspNetCore.Antiforgery;

namespace Askel.App.Coordinator;

/// <summary>A participant placed at an employer of the register, or named as an attendee of an event of the log, from the timeline.</summary>
public static partial class CoordinatorPages
{
    /// <summary>How long before enrolment a placement can have begun: found through the project, recorded at enrolment.</summary>
    private const int PlacementDaysBeforeEnrolment = 30;

    internal static async Task<IResult> RecordParticipationAsync(string projectId, string id, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (action, refusal) = await OpenActionAsync(projectId, id, context, services, antiforgery, cancellationToken, casework: true);
        if (action is null)
        {
            return refusal!;
        }

        var (kind, subject) = (action.Posted["kind"].ToString(), action.Posted["subject"].ToString());
        var register = services.GetRequiredService<CooperationRegister>();
        var today = Formats.DayOf(services.GetRequiredService<TimeProvider>().GetUtcNow());
        DateOnly? since = kind switch
        {
            Participations.Placement when (await register.EmployersAsync(action.Project.Id, cancellationToken)).Any(e => e.BusinessId == subject)
                && DateOnly.TryParseExact(action.Posted["since"].ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                && day <= today && day >= action.Participant.JoinedOn().AddDays(-PlacementDaysBeforeEnrolment) => day,
            Participations.Attendance => (await register.EventsAsync(action.Project.Id, cancellationToken)).FirstOrDefault(e => e.Id == subject)?.Date,
            _ => null,
        };
        if (since is null)
        {
            return await RefuseAsync(
                action, services, "cooperation", kind == Participations.Attendance ? "attendance-event" : "placement-employer", action.Page.T("participation-invalid"), cancellationToken);
        }

        await services.GetRequiredService<Participations>().RecordAsync(action.Participant, kind, subject, since.Value, action.User, cancellationToken);
        return Done(action);
    }

    internal static async Task<IResult> RemoveParticipationAsync(string projectId, string id, HttpContext context, IServiceProvider services, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (action, refusal) = await OpenActionAsync(projectId, id, context, services, antiforgery, cancellationToken, casework: true);
        if (action is null)
        {
            return refusal!;
        }

        var removed = action.Posted["kind"].ToString() is Participations.Placement or Participations.Attendance
            && await services.GetRequiredService<Participations>().RemoveAsync(action.Participant, action.Posted["kind"].ToString(), action.Posted["subject"].ToString(), action.User, cancellationToken);
        return removed ? Done(action) : NotFound(action.Page);
    }
}
