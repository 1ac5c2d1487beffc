using Askel.App.Forms;
using Askel.App.Participants;

namespace Askel.App.Coordinator;

/// <summary>The work queue on the coordinator's landing page: what needs them now, each item with its action one click away.</summary>
public static partial class CoordinatorPages
{
    // The queue's sections, in the order a coordinator works through them.
    internal static readonly (Type Kind, string Title)[] TodaySections =
    [
        (typeof(TaskWork), "today-tasks"),
        (typeof(WithoutCoordinator), "today-orphans"),
        (typeof(ExpiringForm), "today-expiring"),
        (typeof(UnusableContact), "today-contacts"),
        (typeof(NoRecentContact), "today-quiet"),
        (typeof(LeavingSoon), "today-leaving"),
    ];

    private static void Today(Html html, PageContext page, IReadOnlyList<WorkItem> items, bool severalProjects, DateTimeOffset now)
    {
        html.Raw("<h1>").Text(page.T("today-title")).Raw("</h1>");
        if (items.Count == 0)
        {
            html.Raw("<p role=\"status\">").Text(page.T("today-nothing")).Raw("</p>");
            return;
        }

        foreach (var (kind, title) in TodaySections)
        {
            var section = items.Where(i => i.GetType() == kind).ToList();
            if (section.Count == 0)
            {
                continue;
            }

            html.Raw($"<section aria-labelledby=\"{title}\"><h2 id=\"{title}\">").Text(page.T(title, ("count", Number(section.Count)))).Raw("</h2><ul class=\"queue\">");
            foreach (var item in section)
            {
                var person = $"/coordinator/projects/{item.Project.Id}/participants/{item.Participant.Id}";
                var (what, action, target) = item switch
                {
                    TaskWork task => (
                        page.T(task.Task.Due is { } due ? (due <= now ? "today-task-overdue" : "today-task-due") : "today-task-open",
                            ("task", task.Task.Title(page.Language)), ("date", Time(task.Task.Due ?? task.Task.OpenedAt ?? now))),
                        "today-task-action", page.Href($"{person}#task-{task.Task.Step}")),
                    ExpiringForm { Form: { } form } expiring => (
                        page.T("today-expiring-form", ("date", Time(expiring.When))), "today-expiring-action", $"{person}/forms/{form}?lang={item.Participant.Language}"), // the form in the participant's language
                    ExpiringForm expiring => (page.T("today-expiring-confirmation", ("date", Time(expiring.When))), "today-open-action", page.Href(person)),
                    UnusableContact { State: ContactChannels.OptedOut } contact => (
                        page.T("today-contact-opted-out", ("channel", ChannelName(page, contact.Channel))), "today-open-action", page.Href(person)),
                    UnusableContact contact => (
                        page.T(contact.Channel == "sms" ? "today-contact-phone" : "today-contact-email"), "today-contact-action", page.Href($"{person}#details")),
                    NoRecentContact quiet => (
                        page.T("today-quiet-since", ("weeks", Number((int)((now - quiet.When).TotalDays / 7))), ("date", Day(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(quiet.When, Zone).DateTime)))),
                        "today-quiet-action", page.Href($"{person}#log-attempt")),
                    WithoutCoordinator orphan => (
                        page.T("today-orphan", ("name", orphan.Participant.AssignedCoordinator())), "today-orphan-action", page.Href($"{person}#coordinator")),
                    LeavingSoon leaving => (
                        page.T("today-leaving-on", ("date", Day(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(leaving.When, Zone).DateTime)))), "today-leaving-action", page.Href($"{person}#leave")),
                    _ => throw new InvalidOperationException($"no words for {item.GetType().Name}"),
                };
                html.Raw("<li><p>").Raw($"<a href=\"{Html.Encode(page.Href(person))}\">").Text($"{item.Participant.FirstName} {item.Participant.LastName}").Raw("</a>");
                if (severalProjects)
                {
                    html.Text($" ({item.Project.Name})");
                }

                html.Text(": " + what).Raw($"</p><p><a class=\"act\" href=\"{Html.Encode(target)}\">").Text(page.T(action)).Raw("</a></p></li>");
            }

            html.Raw("</ul></section>");
        }
    }
}
