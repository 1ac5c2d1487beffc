using Askel.App.Projects;

namespace Askel.App.Coordinator.Components;

/// <summary>A page whose main content was written with the <see cref="Forms.Html"/> builder.</summary>
/// <param name="Title">The page's title.</param>
/// <param name="Html">Its main content, encoded already.</param>
public sealed record MarkupBody(string Title, string Html);

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
/// <param name="SeveralProjects">Whether the queue spans projects.</param>
/// <param name="Now">When the queue was read.</param>
/// <param name="DigestOn">Whether the user's morning digest is on; null when they get none (no project to coordinate, or no email address).</param>
/// <param name="OutboxLink">Whether to link the local file outbox.</param>
/// <param name="Projects">The projects the user coordinates or manages, and whether they may open each (else only its summary).</param>
public sealed record Landing(
    string Title, IReadOnlyList<WorkItem>? Queue, bool SeveralProjects, DateTimeOffset Now, bool? DigestOn, bool OutboxLink,
    IReadOnlyList<(Project Project, bool MayOpen)> Projects);
