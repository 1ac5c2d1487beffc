using System.Globalization;
using System.Text.Json.Nodes;
using Askel.Runtime.Forms;

namespace Askel.App.Forms;

/// <summary>Everything one form page shows.</summary>
/// <param name="Form">The form.</param>
/// <param name="Page">The page.</param>
/// <param name="Number">Its number among the pages shown (1-based).</param>
/// <param name="Total">How many pages are shown.</param>
/// <param name="Language">The participant's language.</param>
/// <param name="Raw">The answers as typed.</param>
/// <param name="Answers">The typed answers that check out (for the questions' conditions).</param>
/// <param name="Errors">What to fix (empty on a first view).</param>
/// <param name="Action">Where the page posts.</param>
/// <param name="LanguageHref">The address of this page in another language.</param>
/// <param name="Assisted">Filled in by a coordinator with the participant.</param>
/// <param name="Antiforgery">A field the post must carry (the coordinator's antiforgery token), or null.</param>
public sealed record FormPageView(
    FormDefinition Form, FormPage Page, int Number, int Total, string Language, RawAnswers Raw, JsonObject Answers, IReadOnlyList<FieldError> Errors,
    string Action, Func<string, string> LanguageHref, bool Assisted, HiddenField? Antiforgery = null)
{
    /// <summary>A page text to say above the form (its key), e.g. that the answers were not saved.</summary>
    public string? Notice { get; init; }
}

/// <summary>Renders one page of a form as accessible, script-free HTML.</summary>
public static class FormPageRenderer
{
    /// <summary>The page's HTML.</summary>
    public static string Render(FormPageView view, PageTexts texts)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(texts);
        var lang = view.Language;
        var title = $"{view.Page.Title.For(lang)} – {view.Form.Title.For(lang)}";
        if (view.Errors.Count > 0)
        {
            title = $"{texts.Get("errors-title", lang)}: {title}";
        }

        return PageLayout.Render(texts, lang, title, view.LanguageHref, html =>
        {
            if (view.Assisted)
            {
                html.Raw("<p class=\"banner\">").Text(texts.Get("assisted-banner", lang)).Raw("</p>");
            }

            html.Raw("<h1>").Text(view.Form.Title.For(lang)).Raw("</h1>");
            if (view.Total > 1)
            {
                html.Raw("<p class=\"progress\">").Text(texts.Get("progress", lang, ("n", view.Number), ("total", view.Total))).Raw("</p>");
            }

            if (view.Number == 1 && view.Form.Intro is { } intro)
            {
                html.Paragraphs(intro.For(lang));
            }

            if (view.Notice is { } notice)
            {
                html.Raw("<div class=\"summary\" role=\"alert\"><p>").Text(texts.Get(notice, lang)).Raw("</p></div>");
            }

            if (view.Errors.Count > 0)
            {
                html.Raw("<div class=\"summary\" role=\"alert\" aria-labelledby=\"errors-title\"><h2 id=\"errors-title\">").Text(texts.Get("errors-title", lang)).Raw("</h2><ul>");
                foreach (var error in view.Errors)
                {
                    var question = view.Form.Question(error.QuestionId)!;
                    html.Raw($"<li><a href=\"#{error.FieldId}\">").Text($"{question.Label.For(lang)}: {texts.Get(error.TextKey, lang, error.Values)}").Raw("</a></li>");
                }

                html.Raw("</ul></div>");
            }

            html.Raw($"<form method=\"post\" action=\"{Html.Encode(view.Action)}\" novalidate>")
                .Raw($"<input type=\"hidden\" name=\"page\" value=\"{Html.Encode(view.Page.Id)}\"><input type=\"hidden\" name=\"lang\" value=\"{lang}\">")
                .Raw(view.Antiforgery?.Html ?? "")
                .Raw("<h2>").Text(view.Page.Title.For(lang)).Raw("</h2>");
            if (view.Page.Help is { } pageHelp)
            {
                html.Paragraphs(pageHelp.For(lang));
            }

            foreach (var question in view.Page.Questions)
            {
                // A question whose condition depends on an answer on this same page is shown; the check decides if it counts.
                if (question.ShowIf is null || DependsOnPage(question, view.Page) || AnswerChecker.Shown(question.ShowIf, view.Answers, default))
                {
                    Question(html, question, view, texts);
                }
            }

            var last = view.Number == view.Total;
            html.Raw("<div class=\"buttons\">");
            html.Raw($"<button class=\"primary\" type=\"submit\" name=\"action\" value=\"{(last ? "send" : "next")}\">").Text(texts.Get(last ? "send" : "next", lang)).Raw("</button>");
            if (view.Number > 1)
            {
                html.Raw("<button class=\"secondary\" type=\"submit\" name=\"action\" value=\"back\">").Text(texts.Get("back", lang)).Raw("</button>");
            }

            html.Raw("</div></form><p class=\"hint\">").Text(texts.Get("saved-note", lang)).Raw("</p>");
        });
    }

    private static bool DependsOnPage(Question question, FormPage page) =>
        page.Questions.Any(q => q.Id != question.Id && question.ShowIf!.Contains("answers." + q.Id, StringComparison.Ordinal));

    private static void Question(Html html, Question q, FormPageView view, PageTexts texts)
    {
        var lang = view.Language;
        var error = view.Errors.FirstOrDefault(e => e.QuestionId == q.Id);
        var described = new List<string>();
        if (q.Help is not null)
        {
            described.Add($"q-{q.Id}-help");
        }

        if (error is not null)
        {
            described.Add($"q-{q.Id}-error");
        }

        var describedBy = described.Count > 0 ? $" aria-describedby=\"{string.Join(' ', described)}\"" : "";
        var invalid = error is not null ? " aria-invalid=\"true\"" : "";
        var marker = q.Required ? texts.Get("required", lang) : texts.Get("optional", lang);
        void Label(string tag, string? forId)
        {
            html.Raw(tag == "legend" ? "<legend>" : $"<label class=\"q\" for=\"{forId}\">").Text(q.Label.For(lang))
                .Raw(" <span class=\"req\">(").Text(marker).Raw(")</span>").Raw(tag == "legend" ? "</legend>" : "</label>");
        }

        void HelpAndError()
        {
            if (q.Help is { } help)
            {
                html.Raw($"<div class=\"hint\" id=\"q-{q.Id}-help\">").Paragraphs(help.For(lang)).Raw("</div>");
            }

            if (error is not null)
            {
                html.Raw($"<p class=\"err\" id=\"q-{q.Id}-error\">").Text(texts.Get(error.TextKey, lang, error.Values)).Raw("</p>");
            }
        }

        var name = $"q.{q.Id}";
        switch (q.Type)
        {
            case QuestionType.Choice:
            case QuestionType.Choices:
            case QuestionType.YesNo:
            case QuestionType.Scale:
                var options = q.Type switch
                {
                    QuestionType.YesNo => [("yes", texts.Get("yes", lang)), ("no", texts.Get("no", lang))],
                    QuestionType.Scale => Enumerable.Range(1, 5).Select(i => (i.ToString(CultureInfo.InvariantCulture), ScaleLabel(q, i, lang))).ToList(),
                    _ => q.Options.Select(o => (o.Value, o.Label.For(lang))).ToList(),
                };
                if (q.PreferNotToAnswer)
                {
                    options.Add((FormLoader.Declined, texts.Get("prefer-not-to-answer", lang)));
                }

                var type = q.Type == QuestionType.Choices ? "checkbox" : "radio";
                var chosen = view.Raw.Values(name);
                html.Raw($"<fieldset class=\"q\"{describedBy}>");
                Label("legend", null);
                HelpAndError();
                for (var i = 0; i < options.Count; i++)
                {
                    var (value, label) = options[i];
                    var check = chosen.Contains(value) ? " checked" : "";
                    html.Raw($"<div class=\"opt\"><input type=\"{type}\" id=\"q-{q.Id}-{i}\" name=\"{name}\" value=\"{Html.Encode(value)}\"{check}{invalid}>")
                        .Raw($"<label for=\"q-{q.Id}-{i}\">").Text(label).Raw("</label></div>");
                }

                html.Raw("</fieldset>");
                break;
            case QuestionType.Confirm:
                html.Raw($"<div class=\"q\">");
                HelpAndError();
                html.Raw($"<div class=\"opt\"><input type=\"checkbox\" id=\"q-{q.Id}\" name=\"{name}\" value=\"yes\"{(view.Raw.Value(name) == "yes" ? " checked" : "")}{invalid}{describedBy}>")
                    .Raw($"<label for=\"q-{q.Id}\"><strong>").Text(q.Label.For(lang)).Raw("</strong> <span class=\"req\">(").Text(marker).Raw(")</span></label></div></div>");
                break;
            case QuestionType.Date:
                html.Raw($"<fieldset class=\"q\"{describedBy}>");
                Label("legend", null);
                HelpAndError();
                html.Raw("<div class=\"date\">");
                foreach (var (part, key, css, size) in new[] { ("day", "date-day", "", 2), ("month", "date-month", "", 2), ("year", "date-year", " class=\"y\"", 4) })
                {
                    html.Raw($"<div><label for=\"q-{q.Id}-{part}\">").Text(texts.Get(key, lang)).Raw("</label>")
                        .Raw($"<input type=\"text\" inputmode=\"numeric\" id=\"q-{q.Id}-{part}\" name=\"{name}.{part}\" maxlength=\"{size}\"{css} value=\"{Html.Encode(view.Raw.Value($"{name}.{part}"))}\"{invalid}></div>");
                }

                html.Raw("</div></fieldset>");
                break;
            case QuestionType.Text when q.Lines > 1:
                html.Raw("<div class=\"q\">");
                Label("label", $"q-{q.Id}");
                HelpAndError();
                html.Raw($"<textarea id=\"q-{q.Id}\" name=\"{name}\" rows=\"{q.Lines}\"{describedBy}{invalid}>").Text(view.Raw.Value(name)).Raw("</textarea></div>");
                break;
            default:
                var numeric = q.Type is QuestionType.Number or QuestionType.Year ? " inputmode=\"numeric\"" : "";
                html.Raw("<div class=\"q\">");
                Label("label", $"q-{q.Id}");
                HelpAndError();
                html.Raw($"<input type=\"text\" id=\"q-{q.Id}\" name=\"{name}\"{numeric} value=\"{Html.Encode(view.Raw.Value(name))}\"{describedBy}{invalid}></div>");
                break;
        }
    }

    private static string ScaleLabel(Question q, int value, string lang) => value switch
    {
        1 when q.Low is { } low => $"1 – {low.For(lang)}",
        5 when q.High is { } high => $"5 – {high.For(lang)}",
        _ => value.ToString(CultureInfo.InvariantCulture),
    };
}
