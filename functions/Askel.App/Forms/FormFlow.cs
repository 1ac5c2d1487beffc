using Askel.App.Participants;
using Askel.Runtime.Forms;
using Askel.Runtime.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Askel.App.Forms;

/// <summary>Where a form is being answered: by the participant through their link, or by a coordinator with them.</summary>
/// <param name="Participant">Whose form.</param>
/// <param name="Form">Which form.</param>
/// <param name="Language">The language the pages are in.</param>
/// <param name="BasePath">The form's address without query (e.g. <c>/f/{token}</c>).</param>
/// <param name="Assisted">A coordinator fills it in with the participant.</param>
/// <param name="Actor">Who is answering, for the audit log: <c>participant</c> or the coordinator's sign-in name.</param>
/// <param name="Antiforgery">The signed-in coordinator's antiforgery field, posted with every page (none for a participant's link).</param>
public sealed record FormSession(Participant Participant, FormDefinition Form, string Language, string BasePath, bool Assisted, string Actor, HiddenField? Antiforgery = null)
{
    /// <summary>The address of a page, in a language.</summary>
    public string PageHref(string? page, string? language = null) =>
        $"{BasePath}?lang={language ?? Language}" + (page is null ? "" : $"&page={Uri.EscapeDataString(page)}");
}

/// <summary>A hidden field every post of a page carries.</summary>
public sealed record HiddenField(string Name, string Value)
{
    /// <summary>The field as HTML.</summary>
    public string Html => $"<input type=\"hidden\" name=\"{Forms.Html.Encode(Name)}\" value=\"{Forms.Html.Encode(Value)}\">";
}

/// <summary>
/// The pages of a form: shows a page with the answers typed so far, keeps every posted answer (even an
/// invalid one) as a draft, moves on or back, and submits once every shown page checks out.
/// </summary>
public sealed class FormFlow(FormResponses responses, PageTexts texts, TimeProvider time)
{
    /// <summary>Shows <paramref name="pageId"/> (or the first page).</summary>
    public async Task<IResult> ShowAsync(FormSession session, string? pageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var (raw, _) = await responses.DraftAsync(session.Participant.Id, session.Form.Name, cancellationToken);
        var form = AnswerChecker.Check(session.Form, raw, time.GetUtcNow());
        var index = Math.Max(0, form.Pages.ToList().FindIndex(p => p.Id == pageId));
        return Page(session, form, index, raw, [], StatusCodes.Status200OK);
    }

    /// <summary>Handles a posted page.</summary>
    public async Task<IResult> PostAsync(FormSession session, IFormCollection posted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(posted);
        var now = time.GetUtcNow();
        if (session.Form.Pages.FirstOrDefault(p => p.Id == posted["page"].ToString()) is not { } page)
        {
            // Not a post of this form's pages (another body, a page that does not exist): the draft stays as it is.
            return Message(session, StatusCodes.Status400BadRequest, "error-page-title", "error-page-body");
        }

        var (raw, startedAt) = await responses.DraftAsync(session.Participant.Id, session.Form.Name, cancellationToken);
        raw.MergePage(page, field => posted[field].Where(v => v is not null).Select(v => v!).ToArray());
        try
        {
            await responses.SaveDraftAsync(session.Participant, session.Form.Name, raw, startedAt, cancellationToken);
        }
        catch (RowTooLargeException)
        {
            return Message(session, StatusCodes.Status413PayloadTooLarge, "error-page-title", "too-large");
        }

        var form = AnswerChecker.Check(session.Form, raw, now);
        var pages = form.Pages;
        var index = pages.ToList().FindIndex(p => p.Id == page.Id);
        if (index < 0)
        {
            // The answers hid the page that was posted: carry on from the first page they show.
            return SeeOther(session.PageHref(pages[0].Id));
        }

        var action = posted["action"].ToString();
        if (action == "back")
        {
            return SeeOther(session.PageHref(pages[Math.Max(0, index - 1)].Id));
        }

        var errors = form.On(page);
        if (errors.Count > 0)
        {
            return Page(session, form, index, raw, errors, StatusCodes.Status422UnprocessableEntity);
        }

        if (index < pages.Count - 1)
        {
            return SeeOther(session.PageHref(pages[index + 1].Id));
        }

        if (form.Errors.Count > 0)
        {
            var first = pages.ToList().FindIndex(p => p.Questions.Any(q => q.Id == form.Errors[0].QuestionId));
            return Page(session, form, first, raw, form.On(pages[first]), StatusCodes.Status422UnprocessableEntity);
        }

        await responses.SubmitAsync(session.Participant, session.Form, form.Answers, session.Assisted, session.Actor, startedAt, cancellationToken);
        return SeeOther($"{session.BasePath}/done?lang={session.Language}");
    }

    /// <summary>
    /// A post refused by the request limit: the posted page again with what was typed on it and a notice that nothing
    /// was saved, so the participant loses nothing and can send it again a minute later. Nothing is written.
    /// </summary>
    public async Task<IResult> RefuseOverLimitAsync(FormSession session, IFormCollection posted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(posted);
        if (session.Form.Pages.FirstOrDefault(p => p.Id == posted["page"].ToString()) is not { } page)
        {
            return Message(session, StatusCodes.Status429TooManyRequests, "rate-limited-title", "rate-limited-page");
        }

        var (raw, _) = await responses.DraftAsync(session.Participant.Id, session.Form.Name, cancellationToken);
        raw.MergePage(page, field => posted[field].Where(v => v is not null).Select(v => v!).ToArray());
        var form = AnswerChecker.Check(session.Form, raw, time.GetUtcNow());
        var index = Math.Max(0, form.Pages.ToList().FindIndex(p => p.Id == page.Id));
        return Page(session, form, index, raw, [], StatusCodes.Status429TooManyRequests, "rate-limited");
    }

    /// <summary>A 303 See Other: after a post, the browser asks for the next page with GET.</summary>
    public static IResult SeeOther(string location) => new SeeOtherResult(HeaderSafe(location));

    /// <summary>
    /// A header carries printable ASCII only: anything else (a raw route value, a CR/LF in a return address) is
    /// percent-encoded as UTF-8, so it can neither fail the response nor add a header.
    /// </summary>
    private static string HeaderSafe(string location)
    {
        var safe = new System.Text.StringBuilder(location.Length);
        foreach (var rune in location.EnumerateRunes())
        {
            safe.Append(rune.Value is > ' ' and < 0x7F ? rune.ToString() : Uri.EscapeDataString(rune.ToString()));
        }

        return safe.ToString();
    }

    private ContentHttpResult Message(FormSession session, int status, string titleKey, string bodyKey) =>
        TypedResults.Content(
            PageLayout.Message(texts, session.Language, texts.Get(titleKey, session.Language), language => session.PageHref(null, language), [texts.Get(bodyKey, session.Language)]),
            "text/html; charset=utf-8",
            statusCode: status);

    private ContentHttpResult Page(FormSession session, CheckedForm form, int index, RawAnswers raw, IReadOnlyList<FieldError> errors, int status, string? notice = null)
    {
        var pages = form.Pages;
        var view = new FormPageView(
            session.Form, pages[index], index + 1, pages.Count, session.Language, raw, form.Answers, errors,
            session.BasePath, language => session.PageHref(pages[index].Id, language), session.Assisted, session.Antiforgery) { Notice = notice };
        return TypedResults.Content(FormPageRenderer.Render(view, texts), "text/html; charset=utf-8", statusCode: status);
    }

    private sealed class SeeOtherResult(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
