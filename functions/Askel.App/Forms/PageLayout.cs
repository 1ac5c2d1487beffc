namespace Askel.App.Forms;

/// <summary>
/// The frame of every participant page: language and direction, a skip link, the language switch, the
/// main content and the footer links. Small, server-rendered, no scripts, no external files.
/// </summary>
public static class PageLayout
{
    // One inline style sheet: mobile first, large targets, visible focus, colours with at least 4.5:1 contrast.
    // Nothing may scroll sideways at 320 CSS px (WCAG 1.4.10): the skip link hides above the page, not to one side
    // (off to the left scrolls in a right-to-left page), and a long word or address wraps.
    internal const string Style =
        "*{box-sizing:border-box}body{margin:0;font:1.125rem/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','Noto Sans Arabic',sans-serif;color:#1b1b1b;background:#fff}" +
        "a{color:#0a4b8c}a:focus,button:focus,input:focus,textarea:focus{outline:3px solid #c24e00;outline-offset:2px}" +
        ".skip{position:absolute;top:.5rem;inset-inline-start:.5rem;background:#fff;padding:.5rem;z-index:1;transform:translateY(-300%)}.skip:focus{transform:none}" +
        "header,main,footer{max-width:40rem;margin:0 auto;padding:0 1rem;overflow-wrap:anywhere}header{padding-top:.5rem;border-bottom:1px solid #767676}" +
        ".site{font-weight:700;margin:.25rem 0}nav ul{list-style:none;padding:0;margin:.25rem 0 .5rem;display:flex;flex-wrap:wrap;gap:.25rem .75rem}" +
        "nav a{display:inline-block;padding:.35rem .1rem;min-height:44px;line-height:2}nav a[aria-current]{font-weight:700;color:#1b1b1b}" +
        "h1{font-size:1.5rem;line-height:1.3;margin:1rem 0 .5rem}h2{font-size:1.25rem;margin:1.25rem 0 .5rem}" +
        "fieldset{border:0;margin:0 0 1.5rem;padding:0;min-width:0}legend,label.q{font-weight:700;display:block;margin-bottom:.25rem;padding:0}" +
        ".hint{color:#4a4a4a;margin:.25rem 0 .5rem}.req{font-weight:400;color:#4a4a4a}" +
        ".opt{display:flex;align-items:flex-start;gap:.6rem;padding:.5rem 0;min-height:44px}.opt input{width:1.5rem;height:1.5rem;margin:.1rem 0 0;flex:none}" +
        "input[type=text],textarea{font:inherit;width:100%;padding:.5rem;border:2px solid #1b1b1b;border-radius:4px}" +
        ".date{display:flex;gap:.75rem}.date label{font-weight:400;display:block}.date input{width:5rem}.date .y{width:7rem}" +
        ".q{margin-bottom:1.5rem}.err{color:#a4001d;font-weight:700;margin:.25rem 0}[aria-invalid=true]{border-color:#a4001d}" +
        ".summary{border:3px solid #a4001d;padding:.75rem 1rem;margin:1rem 0}.summary h2{margin-top:0}" +
        ".buttons{display:flex;flex-wrap:wrap;gap:.75rem;margin:1.5rem 0}" +
        "button{font:inherit;font-weight:700;min-height:48px;padding:.6rem 1.4rem;border-radius:4px;border:2px solid #0a4b8c;cursor:pointer}" +
        ".primary{background:#0a4b8c;color:#fff}.secondary{background:#fff;color:#0a4b8c}" +
        ".banner{background:#fff4ce;border-left:6px solid #8a5a00;padding:.5rem .75rem;margin-top:1rem}" +
        ".progress{color:#4a4a4a;margin:0}footer{margin-top:2rem;padding-top:.5rem;padding-bottom:2rem;border-top:1px solid #767676}" +
        "footer a{display:inline-block;margin-inline-end:1rem;min-height:44px;line-height:2.4}" +
        ".smileys{display:flex;flex-direction:column;gap:.75rem}.smileys button{display:flex;align-items:center;gap:.75rem;background:#fff;color:#1b1b1b;text-align:start;width:100%}" +
        ".face{font-size:2rem;line-height:1}";

    /// <summary>Renders a whole page.</summary>
    /// <param name="texts">The page texts.</param>
    /// <param name="language">The page's language.</param>
    /// <param name="title">The page's title (the browser tab), without the site name.</param>
    /// <param name="languageHref">The address of this page in another language.</param>
    /// <param name="main">Writes the content of <c>&lt;main&gt;</c>.</param>
    public static string Render(PageTexts texts, string language, string title, Func<string, string> languageHref, Action<Html> main)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(languageHref);
        ArgumentNullException.ThrowIfNull(main);
        var html = new Html();
        var site = texts.Get("site-name", language);
        html.Raw($"<!DOCTYPE html><html lang=\"{Html.Encode(language)}\" dir=\"{(PageTexts.IsRightToLeft(language) ? "rtl" : "ltr")}\"><head><meta charset=\"utf-8\">")
            .Raw("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><meta name=\"robots\" content=\"noindex\"><meta name=\"referrer\" content=\"no-referrer\">")
            .Raw("<title>").Text($"{title} – {site}").Raw("</title><style>").Raw(Style).Raw("</style></head><body>")
            .Raw("<a class=\"skip\" href=\"#main\">").Text(texts.Get("skip-to-content", language)).Raw("</a>")
            .Raw("<header><p class=\"site\">").Text(site).Raw("</p>")
            .Raw($"<nav aria-label=\"{Html.Encode(texts.Get("choose-language", language))}\"><ul>");
        foreach (var other in PageTexts.Languages)
        {
            var current = other == language ? " aria-current=\"page\"" : "";
            html.Raw($"<li><a href=\"{Html.Encode(languageHref(other))}\" lang=\"{other}\" hreflang=\"{other}\" dir=\"{(PageTexts.IsRightToLeft(other) ? "rtl" : "ltr")}\"{current}>")
                .Text(texts.Get("language-name", other)).Raw("</a></li>");
        }

        html.Raw("</ul></nav></header><main id=\"main\">");
        main(html);
        html.Raw("</main><footer>")
            .Raw($"<a href=\"/f/accessibility?lang={language}\">").Text(texts.Get("accessibility-link", language)).Raw("</a>")
            .Raw($"<a href=\"/f/privacy?lang={language}\">").Text(texts.Get("privacy-link", language)).Raw("</a>")
            .Raw("</footer></body></html>");
        return html.ToString();
    }

    /// <summary>A page with a heading and paragraphs: the link, thank-you and statement pages.</summary>
    public static string Message(PageTexts texts, string language, string title, Func<string, string> languageHref, params string[] paragraphs) =>
        Render(texts, language, title, languageHref, html =>
        {
            html.Raw("<h1>").Text(title).Raw("</h1>");
            foreach (var paragraph in paragraphs)
            {
                html.Paragraphs(paragraph);
            }
        });
}
