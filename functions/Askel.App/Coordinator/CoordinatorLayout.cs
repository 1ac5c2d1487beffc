using Askel.App.Coordinator.Components;
using Askel.App.Forms;
using Microsoft.AspNetCore.Antiforgery;

namespace Askel.App.Coordinator;

/// <summary>What every coordinator page knows: its language, its own address, the signed-in user and the form token.</summary>
/// <param name="Language">fi, sv or en.</param>
/// <param name="Path">The page's path without query, for the language switch.</param>
/// <param name="User">The signed-in user's name, or null.</param>
/// <param name="Tokens">The antiforgery tokens for the page's forms, or null when it has none.</param>
public sealed record PageContext(string Language, string Path, string? User, AntiforgeryTokenSet? Tokens)
{
    /// <summary>A text in the page's language.</summary>
    public string T(string key, params (string Name, string? Value)[] values) => CoordinatorTexts.Get(key, Language, values);

    /// <summary>Whether the signed-in user is an admin (who alone sees, e.g., the old values of corrected details).</summary>
    public bool IsAdmin { get; init; }

    /// <summary>An address with the page's language added.</summary>
    public string Href(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var hash = path.IndexOf('#', StringComparison.Ordinal);
        var (address, fragment) = hash < 0 ? (path, "") : (path[..hash], path[hash..]);
        return address + (address.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "lang=" + Language + fragment;
    }

    /// <summary>The antiforgery field a posted form carries, or null when the page has no tokens.</summary>
    public HiddenField? Antiforgery => Tokens is { FormFieldName: { } name, RequestToken: { } token } ? new HiddenField(name, token) : null;
}

/// <summary>Pages every coordinator page may answer with instead of its own: a heading and paragraphs.</summary>
public static class CoordinatorLayout
{
    /// <summary>A page of a heading and paragraphs, with a status code (not found, bad request).</summary>
    public static ComponentPage<MessagePage, PageMessage> Message(PageContext page, int status, string titleKey, params string[] paragraphs)
    {
        ArgumentNullException.ThrowIfNull(page);
        return new(page, new PageMessage(page.T(titleKey), paragraphs), status);
    }
}
