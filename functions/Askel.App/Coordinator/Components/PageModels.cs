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
