using Askel.App.Participants;
using Microsoft.AspNetCore.Http.Features;

namespace Askel.App.Forms;

/// <summary>
/// The participant's pages, reached only through a link (no sign-in): <c>/f/{token}</c> shows the form,
/// <c>/f/{token}/done</c> thanks them, and a link that no longer works gets a friendly page in their
/// language that says how to get a new one. The unsubscribe link at the end of every email opens a page that
/// asks first: opening it changes nothing (mail scanners open links), only its button stops the emails.
/// </summary>
public static class ParticipantPageEndpoints
{
    /// <summary>The largest form post accepted; real answers are a few kilobytes.</summary>
    public const int MaxPostBytes = 256 * 1024;

    internal static async Task<IResult> ShowAsync(string token, HttpContext context, FormLinks links, ParticipantService participants, PinnedForms forms, FormFlow flow, FormResponses responses, PageTexts texts, Projects.ProjectCatalog projects, CancellationToken cancellationToken)
    {
        var opened = await OpenAsync(token, context, links, participants, forms, responses, texts, cancellationToken);
        if (opened.Refusal is { } refusal)
        {
            return refusal;
        }

        if (opened.Unsubscribe is not null)
        {
            return Unsubscribe(opened, context, texts);
        }

        if (opened.Session!.Form is null)
        {
            return External(opened, context, texts, projects.Find(opened.Participant!.ProjectId)?.EuraCode);
        }

        return await flow.ShowAsync(opened.Session, context.Request.Query["page"], cancellationToken);
    }

    /// <summary>The 429 page of a link opened too often from one client (nothing typed on it to keep).</summary>
    internal static IResult OverLimit(HttpContext context, PageTexts texts)
    {
        var language = Language(context, null);
        return Page(texts, StatusCodes.Status429TooManyRequests, language, "rate-limited-title", context.Request.Path, texts.Get("rate-limited-page", language));
    }

    internal static async Task<IResult> PostAsync(
        string token, HttpContext context, FormLinks links, ParticipantService participants, ContactChannels channels, PinnedForms forms, FormFlow flow, FormResponses responses, PageTexts texts,
        Projects.ProjectCatalog projects, bool overLimit, CancellationToken cancellationToken)
    {
        if (await ReadFormAsync(context) is not { } posted)
        {
            var language = Language(context, null);
            return Page(texts, StatusCodes.Status413PayloadTooLarge, language, "error-page-title", context.Request.Path, texts.Get("too-large", language));
        }

        var opened = await OpenAsync(token, context, links, participants, forms, responses, texts, cancellationToken, posted["lang"]);
        if (opened.Answered)
        {
            // A second press of "send" (or a post from a second tab) after the first was stored: the same thank-you page.
            return FormFlow.SeeOther($"/f/{token}/done?lang={opened.Language}");
        }

        if (opened.Refusal is { } refusal)
        {
            return refusal;
        }

        if (overLimit)
        {
            // Over the client's limit: nothing is written; a form page comes back with what was typed on it.
            return opened.Session is { Form: not null } limited ? await flow.RefuseOverLimitAsync(limited, posted, cancellationToken) : OverLimit(context, texts);
        }

        if (opened.Unsubscribe is { } channel)
        {
            if (posted["action"] == "unsubscribe")
            {
                await channels.MarkAsync(opened.Participant!, channel, ContactChannels.OptedOut, "unsubscribe link", cancellationToken);
                return FormFlow.SeeOther($"/f/{token}/done?lang={opened.Language}");
            }

            return FormFlow.SeeOther($"/f/{token}?lang={opened.Language}");
        }

        if (opened.External is { } external)
        {
            if (projects.Find(opened.Participant!.ProjectId) is not { } project)
            {
                // The project's file was removed: the link leads nowhere any more.
                return Page(texts, StatusCodes.Status404NotFound, opened.Language, "link-invalid-title", context.Request.Path, texts.Get("link-invalid-body", opened.Language), texts.Get("contact-coordinator", opened.Language));
            }

            await participants.ConfirmExternalAsync(project, opened.Participant, external, "participant", cancellationToken);
            return FormFlow.SeeOther($"/f/{token}/done?lang={opened.Language}");
        }

        return await flow.PostAsync(opened.Session!, posted, cancellationToken);
    }

    internal static async Task<IResult> DoneAsync(string token, HttpContext context, FormLinks links, ParticipantService participants, PinnedForms forms, FormResponses responses, PageTexts texts, CancellationToken cancellationToken)
    {
        var link = await links.ResolveAsync(token, cancellationToken);
        var participant = link.Status == LinkStatus.Invalid ? null : await participants.FindAsync(link.ProjectId, link.ParticipantId, cancellationToken);
        var language = Language(context, participant?.Language);
        if (participant is null)
        {
            return Page(texts, StatusCodes.Status404NotFound, language, "link-invalid-title", context.Request.Path, texts.Get("link-invalid-body", language), texts.Get("contact-coordinator", language));
        }

        if (link.External is not null)
        {
            return Page(texts, StatusCodes.Status200OK, language, "thanks-title", context.Request.Path, texts.Get("external-done", language));
        }

        if (link.Unsubscribe is { } channel)
        {
            var state = channel == "email" ? participant.EmailState : participant.SmsState;
            return state == ContactChannels.OptedOut && link.Status == LinkStatus.Valid
                ? Page(texts, StatusCodes.Status200OK, language, "unsubscribe-title", context.Request.Path, texts.Get("unsubscribe-done", language))
                : FormFlow.SeeOther($"/f/{token}?lang={language}");
        }

        var form = await forms.FindAsync(link.Form!, link.Version, cancellationToken);
        if (form is null || !await responses.IsSubmittedAsync(participant.Id, form.Name, cancellationToken))
        {
            return FormFlow.SeeOther($"/f/{token}?lang={language}");
        }

        return Page(texts, StatusCodes.Status200OK, language, "thanks-title", context.Request.Path, texts.Get("thanks-saved", language), form.Thanks?.For(language) ?? "");
    }

    private sealed record Opened(IResult? Refusal, FormSession? Session, Participant? Participant, string? External, string Language, string? Url = null)
    {
        /// <summary>The channel an unsubscribe link stops, else null.</summary>
        public string? Unsubscribe { get; init; }

        /// <summary>The link's form was submitted already.</summary>
        public bool Answered { get; init; }
    }

    private static async Task<Opened> OpenAsync(
        string token, HttpContext context, FormLinks links, ParticipantService participants, PinnedForms forms, FormResponses responses, PageTexts texts,
        CancellationToken cancellationToken, string? postedLanguage = null)
    {
        var link = await links.ResolveAsync(token, cancellationToken);
        var participant = link.Status == LinkStatus.Invalid ? null : await participants.FindAsync(link.ProjectId, link.ParticipantId, cancellationToken);
        var language = Language(context, participant?.Language, postedLanguage);
        var path = context.Request.Path.ToString();
        IResult Refuse(int status, string key) =>
            Page(texts, status, language, key + "-title", path, texts.Get(key + "-body", language), texts.Get("contact-coordinator", language));

        if (participant is null)
        {
            return new(Refuse(StatusCodes.Status404NotFound, "link-invalid"), null, null, null, language);
        }

        var form = link.Form is { } name ? await forms.FindAsync(name, link.Version, cancellationToken) : null;
        if (form is not null && await responses.IsSubmittedAsync(participant.Id, form.Name, cancellationToken))
        {
            // Answered already: say so kindly, whether the link is still current or not.
            await responses.ResumeAsync(participant, form, cancellationToken);
            return new(Page(texts, StatusCodes.Status200OK, language, "link-used-title", path, texts.Get("link-used-body", language)), null, participant, null, language)
            {
                Answered = true,
            };
        }

        if (link.Status == LinkStatus.Superseded)
        {
            return new(Refuse(StatusCodes.Status410Gone, "link-superseded"), null, participant, null, language);
        }

        if (link.Status == LinkStatus.Expired)
        {
            return new(Refuse(StatusCodes.Status410Gone, "link-expired"), null, participant, null, language);
        }

        if (link.Unsubscribe is { } channel)
        {
            return channel is "email" or "sms"
                ? new(null, null, participant, null, language) { Unsubscribe = channel }
                : new(Refuse(StatusCodes.Status404NotFound, "link-invalid"), null, participant, null, language);
        }

        if (form is null && link.External is null)
        {
            return new(Refuse(StatusCodes.Status404NotFound, "link-invalid"), null, participant, null, language);
        }

        var session = new FormSession(participant, form!, language, $"/f/{token}", Assisted: false, Actor: "participant");
        return new(null, session, participant, link.External, language, link.Url);
    }

    private static IResult External(Opened opened, HttpContext context, PageTexts texts, string? projectCode)
    {
        var language = opened.Language;
        var path = context.Request.Path.ToString();
        var url = opened.Url!;
        var html = PageLayout.Render(texts, language, texts.Get("external-title", language), l => $"{path}?lang={l}", page =>
        {
            page.Raw("<h1>").Text(texts.Get("external-title", language)).Raw("</h1>")
                .Paragraphs(texts.Get("external-body", language, ("url", url)))
                .Raw($"<p><a href=\"{Html.Encode(url)}\">").Text(url).Raw("</a></p>");
            if (projectCode is not null)
            {
                page.Raw("<p><strong>").Text(texts.Get("external-code", language, ("code", projectCode))).Raw("</strong></p>");
            }

            page
                .Raw($"<form method=\"post\" action=\"{Html.Encode(path)}\"><input type=\"hidden\" name=\"lang\" value=\"{language}\">")
                .Raw("<div class=\"buttons\"><button class=\"primary\" type=\"submit\" name=\"action\" value=\"confirm\">")
                .Text(texts.Get("external-confirm", language)).Raw("</button></div></form>");
        });
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    private static IResult Unsubscribe(Opened opened, HttpContext context, PageTexts texts)
    {
        var language = opened.Language;
        var path = context.Request.Path.ToString();
        var title = texts.Get("unsubscribe-title", language);
        var html = PageLayout.Render(texts, language, title, l => $"{path}?lang={l}", page =>
        {
            page.Raw("<h1>").Text(title).Raw("</h1>")
                .Paragraphs(texts.Get("unsubscribe-body", language))
                .Raw($"<form method=\"post\" action=\"{Html.Encode(path)}\"><input type=\"hidden\" name=\"lang\" value=\"{language}\">")
                .Raw("<div class=\"buttons\"><button class=\"primary\" type=\"submit\" name=\"action\" value=\"unsubscribe\">")
                .Text(texts.Get("unsubscribe-confirm", language)).Raw("</button></div></form>");
        });
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    internal static IResult Statement(HttpContext context, PageTexts texts, string titleKey, string bodyKey, string path)
    {
        var language = Language(context, null);
        return Page(texts, StatusCodes.Status200OK, language, titleKey, path, texts.Get(bodyKey, language));
    }

    /// <summary>A participant page of a heading and paragraphs, with its status; <paramref name="path"/> is where the language switch leads.</summary>
    internal static IResult Page(PageTexts texts, int status, string language, string titleKey, string path, params string[] paragraphs) =>
        TypedResults.Content(
            PageLayout.Message(texts, language, texts.Get(titleKey, language), l => $"{path}?lang={l}", [.. paragraphs.Where(p => p.Length > 0)]),
            "text/html; charset=utf-8",
            statusCode: status);

    /// <summary>The page language: chosen on the page, else the participant's, else the browser's, else Finnish.</summary>
    public static string Language(HttpContext context, string? participantLanguage, string? posted = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var chosen = posted ?? context.Request.Query["lang"].ToString();
        if (PageTexts.Languages.Contains(chosen))
        {
            return chosen;
        }

        if (participantLanguage is not null && PageTexts.Languages.Contains(participantLanguage))
        {
            return participantLanguage;
        }

        var accepted = context.Request.GetTypedHeaders().AcceptLanguage
            .OrderByDescending(l => l.Quality ?? 1)
            .Select(l => l.Value.ToString().Split('-')[0].ToLowerInvariant())
            .FirstOrDefault(l => PageTexts.Languages.Contains(l) || l == "prs");
        return accepted == "prs" ? "fa" : accepted ?? "fi";
    }

    private static async Task<IFormCollection?> ReadFormAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxPostBytes || !context.Request.HasFormContentType)
        {
            return context.Request.HasFormContentType ? null : new FormCollection([]);
        }

        try
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = MaxPostBytes;
            }

            return await PostedForms.ReadAsync(context, new FormOptions { ValueLengthLimit = 64 * 1024, ValueCountLimit = 500, KeyLengthLimit = 200 }, MaxPostBytes);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return null;
        }
    }
}
