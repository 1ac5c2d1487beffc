using Askel.App.Projects;

namespace Askel.App.Coordinator.Components;

/// <summary>A page of a heading and paragraphs, with an optional link.</summary>
/// <param name="Title">The heading, also the page's title.</param>
/// <param name="Paragraphs">The text under it.</param>
/// <param name="Link">A link after the text, e.g. to sign in.</param>
public sealed record PageMessage(string Title, IReadOnlyList<string> Paragraphs, PageLink? Link = null);

/// <summary>A link's text and address.</summary>
/// <param name="Text">What it says.</param>
/// <param name="Href">Where it goes.</param>
public sealed record PageLink(string Text, string Href);

/// <summary>The landing page.</summary>
/// <param name="Title">"Today", or "Projects" for a user who opens no project.</param>
/// <param name="Queue">The work queue, or null when the user opens no project.</param>
/// <param name="Plans">How the plans of the user's participants stand, per project they coordinate.</param>
/// <param name="SeveralProjects">Whether the queue spans projects.</param>
/// <param name="Now">When the queue was read.</param>
/// <param name="DigestOn">Whether the user's morning digest is on; null when they get none (no project to coordinate, or no email address).</param>
/// <param name="OutboxLink">Whether to link the local file outbox.</param>
/// <param name="Projects">The projects the user coordinates or manages, and whether they may open each (else only its summary).</param>
public sealed record Landing(
    string Title, IReadOnlyList<WorkItem>? Queue, IReadOnlyList<PlanStanding> Plans, IReadOnlyList<(Project Project, Forecasts.ExitWarning Warning)> Warnings, bool SeveralProjects, DateTimeOffset Now, bool? DigestOn, bool OutboxLink,
    IReadOnlyList<(Project Project, bool MayOpen)> Projects);

/// <summary>The development outbox page.</summary>
/// <param name="Folder">Where the outbox writes.</param>
/// <param name="Filter">The instance id prefix searched for.</param>
/// <param name="Messages">The messages found, newest first.</param>
/// <param name="Max">The most the page shows.</param>
public sealed record OutboxView(string Folder, string Filter, IReadOnlyList<Messaging.OutboxEntry> Messages, int Max);

/// <summary>The audit log search page.</summary>
/// <param name="Fields">Each search field: its name, its label's text key, and the value searched.</param>
/// <param name="BadDate">The first date field that is not a date, or null.</param>
/// <param name="Records">The records found (each row's cells as <see cref="Columns"/>), or null when the search was refused.</param>
/// <param name="Max">The most the page shows.</param>
/// <param name="CsvHref">The same search as a CSV file.</param>
public sealed record AuditView(IReadOnlyList<(string Field, string Label, string Value)> Fields, string? BadDate, IReadOnlyList<IReadOnlyList<string>>? Records, int Max, string CsvHref)
{
    /// <summary>The columns' text keys.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["col-when", "col-project", "col-participant-id", "col-actor", "col-what", "col-detail"];
}

/// <summary>The sign-in page.</summary>
/// <param name="LocalUsers">With the local sign-in, the users offered and their roles; in Azure null (Entra ID signs in).</param>
/// <param name="ReturnUrl">Where to go once signed in (a local path).</param>
public sealed record SignInView(IReadOnlyList<(string User, IReadOnlyList<string> Roles)>? LocalUsers, string ReturnUrl);

/// <summary>A project's monthly summary page.</summary>
/// <param name="Project">The project.</param>
/// <param name="Month">The month (yyyy-MM).</param>
/// <param name="MonthName">The month in the page's language.</param>
/// <param name="Title">The page's heading.</param>
/// <param name="Summary">The month's figures.</param>
/// <param name="Tables">The figures as tables in the page's language.</param>
/// <param name="MayOpen">Whether the user may open participants: the overdue list then names them.</param>
/// <param name="Names">The overdue participants' first names by id (empty unless <paramref name="MayOpen"/>).</param>
/// <param name="Now">When the page was made, for the months there are.</param>
public sealed record SummaryView(
    Project Project, string Month, string MonthName, string Title, Summaries.MonthlySummary Summary, IReadOnlyList<Summaries.Rendering.SummaryTable> Tables,
    bool MayOpen, IReadOnlyDictionary<string, string> Names, DateTimeOffset Now);

/// <summary>The page for a summary month that is not one.</summary>
/// <param name="Project">The project.</param>
/// <param name="Now">Now, for the months there are.</param>
public sealed record BadMonthView(Project Project, DateTimeOffset Now);

/// <summary>An error of a form, in its summary: the field it is about and what is wrong.</summary>
/// <param name="Field">The field's id.</param>
/// <param name="Text">What is wrong.</param>
public sealed record FormError(string Field, string Text);
