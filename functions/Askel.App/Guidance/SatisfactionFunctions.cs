using Askel.App.Forms;
using Askel.App.Security;
using Microsoft.Azure.Functions.Worker;

namespace Askel.App.Guidance;

/// <summary>
/// The service point's satisfaction page and an event's feedback page (<c>/s/{code}</c>): anyone may open it and tap a
/// smiley, in any of the eight participant languages, with no sign-in. Opening and tapping are rate-limited per client
/// like the participant pages.
/// </summary>
public sealed class SatisfactionFunctions(SatisfactionVotes votes, PageTexts texts, RateLimits limits)
{
    private const string CookiePrefix = "askel-s-";
    private static readonly string[] Faces = ["\U0001F61E", "\U0001F641", "\U0001F610", "\U0001F642", "\U0001F600"]; // 1–5

    /// <summary>The five smileys.</summary>
    [Function("satisfaction-page")]
    public Task<IResult> ShowAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "s/{code}")] HttpRequest request, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = request.HttpContext;
        PageHeaders.ForParticipantPage(context);
        return limits.WithinAsync(
            RateLimited.LinkOpen, context, async () => Show(context, code, await votes.SubjectOfAsync(code, cancellationToken)), () => ParticipantPageEndpoints.OverLimit(context, texts));
    }

    /// <summary>A tap: counted (once per device within the repeat window), then thanked.</summary>
    [Function("satisfaction-vote")]
    public async Task<IResult> VoteAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "s/{code}")] HttpRequest request, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = request.HttpContext;
        PageHeaders.ForParticipantPage(context);
        if (!limits.TryAcquire(RateLimited.FormPost, context))
        {
            return ParticipantPageEndpoints.OverLimit(context, texts);
        }

        var posted = await PostedForms.TryReadAsync(context, 1024);
        var language = ParticipantPageEndpoints.Language(context, null, posted?["lang"]);
        var subject = await votes.SubjectOfAsync(code, cancellationToken);
        if (subject is null)
        {
            return Show(context, code, null);
        }

        var score = posted?["score"].ToString() switch { "1" => 1, "2" => 2, "3" => 3, "4" => 4, "5" => 5, _ => 0 };
        if (score == 0)
        {
            return Show(context, code, subject, StatusCodes.Status422UnprocessableEntity);
        }

        var (counted, cookie) = await votes.VoteAsync(subject, score, context.Request.Cookies[CookiePrefix + code], cancellationToken);
        context.Response.Cookies.Append(CookiePrefix + code, cookie, new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Path = $"/s/{code}",
            MaxAge = SatisfactionVotes.RepeatWindow,
        });
        return ParticipantPageEndpoints.Page(
            texts, StatusCodes.Status200OK, language, "thanks-title", $"/s/{code}", texts.Get(counted ? "satisfaction-thanks" : "satisfaction-once", language));
    }

    // The smileys of the subject's link (an event's page names the event); a link no subject has is 404.
    private IResult Show(HttpContext context, string code, FeedbackSubject? subject, int status = StatusCodes.Status200OK)
    {
        var language = ParticipantPageEndpoints.Language(context, null);
        if (subject is null)
        {
            return ParticipantPageEndpoints.Page(texts, StatusCodes.Status404NotFound, language, "link-invalid-title", $"/s/{code}", texts.Get("link-invalid-body", language));
        }

        var (titleKey, questionKey) = subject.Event is null ? ("satisfaction-title", "satisfaction-question") : ("feedback-event-title", "feedback-event-question");
        var title = texts.Get(titleKey, language);
        var page = PageLayout.Render(texts, language, title, l => $"/s/{code}?lang={l}", html =>
        {
            html.Raw("<h1>").Text(title).Raw("</h1>");
            if (subject.Event is { } rated)
            {
                html.Raw("<p>").Text(rated.Title).Raw("</p>");
            }

            html.Raw($"<form method=\"post\" action=\"/s/{Html.Encode(code)}\"><input type=\"hidden\" name=\"lang\" value=\"{Html.Encode(language)}\">")
                .Raw("<fieldset><legend>").Text(texts.Get(questionKey, language)).Raw("</legend><div class=\"smileys\">");
            for (var score = 1; score <= 5; score++)
            {
                html.Raw($"<button type=\"submit\" name=\"score\" value=\"{score}\"><span class=\"face\" aria-hidden=\"true\">{Faces[score - 1]}</span><span>")
                    .Text(texts.Get($"satisfaction-{score}", language)).Raw("</span></button>");
            }

            html.Raw("</div></fieldset></form>");
        });
        return TypedResults.Content(page, "text/html; charset=utf-8", statusCode: status);
    }
}
