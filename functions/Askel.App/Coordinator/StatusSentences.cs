using System.Globalization;
using Askel.Runtime.Client;
using Askel.Runtime.Definitions;
using Askel.Runtime.Engine;

namespace Askel.App.Coordinator;

/// <summary>
/// A workflow's status as a coordinator reads it: one sentence in the page's language, built from the status and the
/// titles the workflow gives its steps (a task's title; an ask step's form title when the step has none), never from ids —
/// e.g. "Loppulomake lähetetty 3.3., muistutus 2/3 tulossa 10.3. klo 9.00".
/// </summary>
internal static class StatusSentences
{
    private static readonly TimeZoneInfo Zone = Askel.Runtime.Calendar.CalendarPolicy.Default.TimeZone;

    /// <param name="page">The page (its language and texts).</param>
    /// <param name="status">The instance's status, or null when it has no workflow.</param>
    /// <param name="definition">The definition the instance is pinned to (its step titles), or null when unknown.</param>
    /// <param name="formTitle">A form's title by name, for ask steps without a title of their own.</param>
    /// <param name="now">Now: dates in this year are written without the year.</param>
    public static string Of(PageContext page, WorkflowStatus? status, WorkflowDefinition? definition, Func<string, LocalizedText?> formTitle, DateTimeOffset now)
    {
        if (status is null)
        {
            return page.T("state-none");
        }

        var step = status.Step is { } id ? definition?.Steps.GetValueOrDefault(id) : null;
        var title = step switch
        {
            TaskStep task => task.Title.For(page.Language),
            { Label: { } label } => label.For(page.Language),
            AskStep ask => formTitle(ask.Form)?.For(page.Language),
            _ => null,
        } ?? page.T("status-untitled");
        string Day(DateTimeOffset at) => DayText(page.Language, at, now);
        string Moment(DateTimeOffset at) => MomentText(page.Language, at, now);

        if (status.Suspended)
        {
            return page.T("status-suspended", ("title", title));
        }

        switch (status.Status)
        {
            case InstanceStatus.Completed:
                return page.T("status-completed", ("title", title));
            case InstanceStatus.Failed:
                return page.T("status-failed", ("title", title));
            case InstanceStatus.Terminated:
                return page.T("status-terminated");
        }

        var entered = status.StepEnteredAt ?? status.UpdatedAt;
        var attempts = step switch { AskStep a => a.Attempts, ExternalStep x => x.Attempts, _ => null };
        switch (status.Waiting)
        {
            case AwaitingForm or AwaitingConfirmation when attempts is { Count: > 0 } && definition is not null:
                var next = status.Timers.Where(t => t.Kind == "attempt").Select(t => (DateTimeOffset?)t.Due).Min();
                if (status.Attempt == 0)
                {
                    return page.T("status-form-first", ("title", title), ("when", next is { } first ? Moment(first) : "–"));
                }

                var sent = Day(definition.Calendar.NextAllowed(attempts[0].After.AddTo(entered, definition.Calendar.TimeZone)));
                var reminders = Number(attempts.Count - 1);
                return next is { } reminder
                    ? page.T("status-form-reminder", ("title", title), ("sent", sent), ("n", Number(status.Attempt)), ("m", reminders), ("when", Moment(reminder)))
                    : page.T("status-form-expires", ("title", title), ("sent", sent), ("m", reminders), ("when", status.ExpiresAt is { } expires ? Moment(expires) : "–"));
            case AwaitingTask:
                return page.T("status-task", ("title", title), ("date", Day(entered)));
            case AwaitingEvent:
                return status.Timers.Where(t => t.Kind == "timeout").Select(t => (DateTimeOffset?)t.Due).Min() is { } ends
                    ? page.T("status-running-until", ("title", title), ("date", Day(entered)), ("when", Day(ends)))
                    : page.T("status-running", ("title", title), ("date", Day(entered)));
        }

        return status.Timers.Where(t => t.Kind == "wait").Select(t => (DateTimeOffset?)t.Due).Min() is { } until
            ? page.T("status-waiting-until", ("title", title), ("when", Day(until)))
            : page.T("status-waiting", ("title", title));
    }

    // 3.3. / 3 Mar (the year only when it is not this year's), in Finnish time.
    private static string DayText(string language, DateTimeOffset at, DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(at, Zone);
        var thisYear = local.Year == TimeZoneInfo.ConvertTime(now, Zone).Year;
        var format = language == "en" ? (thisYear ? "d MMM" : "d MMM yyyy") : (thisYear ? "d.M." : "d.M.yyyy");
        return local.ToString(format, CultureInfo.InvariantCulture);
    }

    // 10.3. klo 9.00 / 10.3. kl. 9.00 / 10 Mar at 09:00
    private static string MomentText(string language, DateTimeOffset at, DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(at, Zone);
        var time = local.ToString(language == "en" ? "HH:mm" : "H.mm", CultureInfo.InvariantCulture);
        return DayText(language, at, now) + (language switch { "en" => " at ", "sv" => " kl. ", _ => " klo " }) + time;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
