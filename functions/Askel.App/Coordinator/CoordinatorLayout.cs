using Askel.App.Forms;
using Microsoft.AspNetCore.Antiforgery;

namespace Askel.App.Coordinator;

/// <summary>What every coordinator page knows: its language, its own address, the signed-in user and the form token.</summary>
/// <param name="Language">fi or en.</param>
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

    /// <summary>The hidden fields every posted form carries: the antiforgery token and the language.</summary>
    public string Hidden => (Antiforgery?.Html ?? "") + new HiddenField("lang", Language).Html;
}

/// <summary>The frame of the coordinator pages: plain, server-rendered, no scripts, no external files.</summary>
public static class CoordinatorLayout
{
    internal const string Style =
        "*{box-sizing:border-box}body{margin:0;font:1rem/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1b1b;background:#fff}" +
        "a{color:#0a4b8c}a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus{outline:3px solid #c24e00;outline-offset:2px}" +
        ".skip{position:absolute;top:.5rem;inset-inline-start:.5rem;background:#fff;padding:.5rem;z-index:1;transform:translateY(-300%)}.skip:focus{transform:none}" +
        "header,main,footer{max-width:72rem;margin:0 auto;padding:0 1rem}header{padding-top:.5rem;border-bottom:1px solid #767676;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center}" +
        ".site{font-weight:700;margin:.25rem 0}nav ul{list-style:none;padding:0;margin:0;display:flex;gap:.75rem}nav a[aria-current]{font-weight:700;color:#1b1b1b}" +
        "h1{font-size:1.6rem;margin:1rem 0 .5rem}h2{font-size:1.25rem;margin:1.5rem 0 .5rem}h3{font-size:1.05rem}" +
        "table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #b0b0b0;padding:.35rem .5rem;text-align:start;vertical-align:top}th{background:#f0f0f0}" +
        "label{display:block;font-weight:700;margin:.75rem 0 .25rem}.check label{display:inline;font-weight:400}" +
        "input[type=text],input[type=email],input[type=tel],input[type=date],input[type=number],select,textarea{font:inherit;padding:.4rem;border:2px solid #1b1b1b;border-radius:4px;max-width:100%;width:24rem}" +
        "button{font:inherit;font-weight:700;min-height:44px;padding:.4rem 1rem;border-radius:4px;border:2px solid #0a4b8c;background:#0a4b8c;color:#fff;cursor:pointer;margin:.75rem 0}" +
        "header button{background:#fff;color:#0a4b8c;margin:0;min-height:36px}.err{color:#a4001d;font-weight:700;margin:.25rem 0}[aria-invalid=true]{border-color:#a4001d}" +
        ".summary{border:3px solid #a4001d;padding:.5rem 1rem;margin:1rem 0}.note{background:#e8f3e8;border-left:6px solid #2e6b2e;padding:.5rem .75rem}" +
        "section.action{border-top:1px solid #b0b0b0;margin-top:1rem}dl.kv{display:grid;grid-template-columns:minmax(0,max-content) minmax(0,1fr);gap:.25rem 1rem}dl.kv dt{font-weight:700}dl.kv dd{margin:0}dl.kv dt,dl.kv dd,td,th{overflow-wrap:anywhere}" +
        "@media (max-width:30rem){dl.kv{grid-template-columns:minmax(0,1fr);gap:0}dl.kv dd{margin-bottom:.5rem}}" +
        "input[type=month]{font:inherit;padding:.4rem;border:2px solid #1b1b1b;border-radius:4px;max-width:100%;width:14rem}.hint{margin:0 0 .25rem;color:#1b1b1b}" +
        ".scroll{overflow-x:auto}.scroll:focus{outline:3px solid #c24e00;outline-offset:2px}td.n{text-align:end;font-variant-numeric:tabular-nums}ul.months{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem}form.filters{display:flex;flex-wrap:wrap;gap:0 1rem;align-items:flex-end}form.filters p{margin:.25rem 0;max-width:100%}select{max-width:100%}ul.queue{list-style:none;padding:0;max-width:48rem}ul.queue li{border-bottom:1px solid #767676;padding:.5rem 0}ul.queue p{margin:.25rem 0}a.act{font-weight:700}" +
        ".message-text{white-space:pre-wrap;font:inherit}img{max-width:100%;height:auto}.url{overflow-wrap:anywhere}";

    /// <summary>Renders a whole page.</summary>
    public static string Render(PageContext page, string title, Action<Html> main)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(main);
        var html = new Html();
        html.Raw($"<!DOCTYPE html><html lang=\"{page.Language}\" dir=\"ltr\"><head><meta charset=\"utf-8\">")
            .Raw("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><meta name=\"robots\" content=\"noindex\"><meta name=\"referrer\" content=\"no-referrer\">")
            .Raw("<title>").Text($"{title} – {page.T("site")}").Raw("</title><style>").Raw(Style).Raw("</style></head><body>")
            .Raw("<a class=\"skip\" href=\"#main\">").Text(page.T("skip")).Raw("</a><header>")
            .Raw($"<p class=\"site\"><a href=\"{Html.Encode(page.Href("/coordinator"))}\">").Text(page.T("site")).Raw("</a></p>")
            .Raw($"<nav aria-label=\"{Html.Encode(page.T("language-switch"))}\"><ul>");
        foreach (var language in CoordinatorTexts.Languages)
        {
            var current = language == page.Language ? " aria-current=\"page\"" : "";
            html.Raw($"<li><a href=\"{Html.Encode(page.Path + (page.Path.Contains('?', StringComparison.Ordinal) ? "&" : "?"))}lang={language}\" lang=\"{language}\" hreflang=\"{language}\"{current}>")
                .Text(language switch { "fi" => "Suomeksi", "sv" => "På svenska", _ => "In English" }).Raw("</a></li>");
        }

        html.Raw("</ul></nav>");
        if (page.User is not null)
        {
            html.Raw("<p>").Text(page.T("signed-in-as", ("name", page.User))).Raw("</p>");
            if (page.Tokens is not null)
            {
                html.Raw($"<form method=\"post\" action=\"/coordinator/signout\">{page.Hidden}<button type=\"submit\">").Text(page.T("sign-out")).Raw("</button></form>");
            }
        }

        html.Raw("</header><main id=\"main\">");
        main(html);
        html.Raw("</main><footer></footer></body></html>");
        return html.ToString();
    }

    /// <summary>A page of a heading and paragraphs, with a status code.</summary>
    public static IResult Message(PageContext page, int status, string titleKey, params string[] paragraphs)
    {
        ArgumentNullException.ThrowIfNull(page);
        var title = page.T(titleKey);
        return Content(Render(page, title, html =>
        {
            html.Raw("<h1>").Text(title).Raw("</h1>");
            foreach (var paragraph in paragraphs)
            {
                html.Raw("<p>").Text(paragraph).Raw("</p>");
            }
        }), status);
    }

    /// <summary>An HTML response.</summary>
    public static IResult Content(string html, int status = StatusCodes.Status200OK) =>
        TypedResults.Content(html, "text/html; charset=utf-8", statusCode: status);
}
