using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Askel.Runtime.Calendar;
using Askel.Runtime.Expressions;
using Askel.Runtime.Forms;
using Askel.Runtime.Storage;

namespace Askel.App.Forms;

/// <summary>One thing to fix on a page: which question, which field to jump to, and the text key and values of the message.</summary>
public sealed record FieldError(string QuestionId, string FieldId, string TextKey, (string Name, object Value)[] Values);

/// <summary>
/// A participant's answers to one form, exactly as typed (so an invalid answer is shown back unchanged),
/// keyed by field name: <c>q.&lt;id&gt;</c>, and <c>q.&lt;id&gt;.day|month|year</c> for dates.
/// </summary>
public sealed class RawAnswers
{
    /// <summary>The longest value kept for one field; longer input is cut (the text limit still reports it).</summary>
    public const int MaxFieldLength = 10_000;

    private readonly Dictionary<string, string[]> _fields;

    private RawAnswers(Dictionary<string, string[]> fields) => _fields = fields;

    /// <summary>No answers yet.</summary>
    public static RawAnswers Empty() => new(new Dictionary<string, string[]>(StringComparer.Ordinal));

    /// <summary>Reads the JSON kept in a draft.</summary>
    public static RawAnswers FromJson(string? json) =>
        new(string.IsNullOrEmpty(json) ? new(StringComparer.Ordinal)
            : JsonSerializer.Deserialize<Dictionary<string, string[]>>(json) is { } fields ? new(fields, StringComparer.Ordinal) : new(StringComparer.Ordinal));

    /// <summary>The JSON to keep in a draft.</summary>
    public string ToJson() => JsonSerializer.Serialize(_fields, StoredJson.Options);

    /// <summary>The values of a field (empty when unanswered).</summary>
    public IReadOnlyList<string> Values(string field) => _fields.TryGetValue(field, out var values) ? values : [];

    /// <summary>The first value of a field, or empty.</summary>
    public string Value(string field) => Values(field) is [var first, ..] ? first : "";

    /// <summary>Replaces the page's fields with what was posted (fields of other pages stay).</summary>
    public void MergePage(FormPage page, Func<string, IReadOnlyList<string>> posted)
    {
        ArgumentNullException.ThrowIfNull(page);
        foreach (var question in page.Questions)
        {
            foreach (var field in FieldsOf(question))
            {
                var values = posted(field).Select(v => v.Length > MaxFieldLength ? v[..MaxFieldLength] : v).Where(v => v.Length > 0).Take(50).ToArray();
                if (values.Length == 0)
                {
                    _fields.Remove(field);
                }
                else
                {
                    _fields[field] = values;
                }
            }
        }
    }

    /// <summary>The field names a question posts.</summary>
    public static IEnumerable<string> FieldsOf(Question question)
    {
        ArgumentNullException.ThrowIfNull(question);
        return question.Type == QuestionType.Date
            ? [$"q.{question.Id}.day", $"q.{question.Id}.month", $"q.{question.Id}.year"]
            : [$"q.{question.Id}"];
    }
}

/// <summary>A form's answers, checked: the typed answers, the pages they show, and what to fix on those pages.</summary>
public sealed record CheckedForm(JsonObject Answers, IReadOnlyList<FormPage> Pages, IReadOnlyList<FieldError> Errors)
{
    /// <summary>What to fix on <paramref name="page"/>.</summary>
    public IReadOnlyList<FieldError> On(FormPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return [.. Errors.Where(e => page.Questions.Any(q => q.Id == e.QuestionId))];
    }
}

/// <summary>Turns raw answers into checked, typed answers, and decides which pages and questions are shown.</summary>
public static class AnswerChecker
{
    private static readonly TimeZoneInfo Helsinki = CalendarPolicy.Default.TimeZone; // the runtime's zone: Europe/Helsinki

    // Forms are few and immutable: each condition is parsed once per process.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Expression> Conditions = new(StringComparer.Ordinal);

    /// <summary>Whether a condition over the typed answers holds (no condition: shown).</summary>
    public static bool Shown(string? showIf, JsonObject answers, DateTimeOffset now)
    {
        if (showIf is null)
        {
            return true;
        }

        try
        {
            return Conditions.GetOrAdd(showIf, Expression.Parse).EvaluateCondition(new JsonObject { ["answers"] = answers.DeepClone() }, now, Helsinki);
        }
        catch (ExpressionEvaluationException)
        {
            return false; // an answer it needs is missing or of another kind: the question does not apply
        }
    }

    /// <summary>Checks every shown question in one pass over the form.</summary>
    public static CheckedForm Check(FormDefinition form, RawAnswers raw, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(raw);
        var (answers, pages, errors) = Typed(form, raw, now);
        return new CheckedForm(answers, pages, errors);
    }

    private static (JsonObject Answers, List<FormPage> Pages, List<FieldError> Errors) Typed(FormDefinition form, RawAnswers raw, DateTimeOffset now)
    {
        var answers = new JsonObject();
        var pages = new List<FormPage>();
        var errors = new List<FieldError>();
        var today = CalendarPolicy.Default.DayOf(now);
        foreach (var page in form.Pages)
        {
            if (!Shown(page.ShowIf, answers, now))
            {
                continue;
            }

            var shown = false;
            foreach (var question in page.Questions)
            {
                // Conditions read only earlier answers, so one pass in order decides visibility.
                if (!Shown(question.ShowIf, answers, now))
                {
                    continue;
                }

                shown = true;

                var (value, error) = Read(question, raw, today);
                if (value is not null)
                {
                    answers[question.Id] = value;
                }
                else if (error is null && question.Required)
                {
                    error = new FieldError(question.Id, FirstField(question), question.Type == QuestionType.Confirm ? "error-confirm" : "error-required", []);
                }

                if (error is not null)
                {
                    errors.Add(error);
                }
            }

            if (shown)
            {
                pages.Add(page);
            }
        }

        return (answers, pages, errors);
    }

    private static string FirstField(Question q) => q.Type switch
    {
        QuestionType.Date => $"q-{q.Id}-day",
        QuestionType.Choice or QuestionType.Choices or QuestionType.YesNo or QuestionType.Scale => $"q-{q.Id}-0",
        _ => $"q-{q.Id}",
    };

    private static (JsonNode? Value, FieldError? Error) Read(Question q, RawAnswers raw, DateOnly today)
    {
        var field = $"q.{q.Id}";
        var value = raw.Value(field).Trim();
        FieldError Fail(string key, params (string, object)[] values) => new(q.Id, FirstField(q), key, values);
        switch (q.Type)
        {
            case QuestionType.Choice:
            case QuestionType.YesNo:
                if (value.Length == 0)
                {
                    return (null, null);
                }

                var allowed = (q.Type == QuestionType.YesNo ? ["yes", "no"] : q.Options.Select(o => o.Value)).Concat(q.PreferNotToAnswer ? [FormLoader.Declined] : []);
                return allowed.Contains(value) ? (value, null) : (null, Fail("error-choice"));
            case QuestionType.Choices:
                var chosen = raw.Values(field).Distinct(StringComparer.Ordinal).ToArray();
                if (chosen.Length == 0)
                {
                    return (null, null);
                }

                var options = q.Options.Select(o => o.Value).Concat(q.PreferNotToAnswer ? [FormLoader.Declined] : []).ToHashSet(StringComparer.Ordinal);
                return chosen.All(options.Contains) ? (new JsonArray([.. chosen.Select(c => (JsonNode)c)]), null) : (null, Fail("error-choice"));
            case QuestionType.Confirm:
                return value.Length == 0 ? (null, null) : value == "yes" ? ("yes", null) : (null, Fail("error-confirm"));
            case QuestionType.Scale:
                if (value.Length == 0)
                {
                    return (null, null);
                }

                return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var scale) && scale is >= 1 and <= 5 ? (scale, null) : (null, Fail("error-choice"));
            case QuestionType.Number:
            case QuestionType.Year:
                if (value.Length == 0)
                {
                    return (null, null);
                }

                var min = q.Min ?? (q.Type == QuestionType.Year ? 1900 : 0);
                var max = q.MaxIsCurrentYear ? today.Year : q.Max ?? (q.Type == QuestionType.Year ? today.Year + 10 : 1_000_000);
                var key = q.Type == QuestionType.Year ? "error-year" : "error-number";
                return int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
                    ? (number, null)
                    : (null, Fail(key, ("min", min), ("max", max)));
            case QuestionType.Date:
                var day = raw.Value(field + ".day").Trim();
                var month = raw.Value(field + ".month").Trim();
                var year = raw.Value(field + ".year").Trim();
                if (day.Length + month.Length + year.Length == 0)
                {
                    return (null, null);
                }

                if (!int.TryParse(day, NumberStyles.None, CultureInfo.InvariantCulture, out var d) || !int.TryParse(month, NumberStyles.None, CultureInfo.InvariantCulture, out var m) ||
                    !int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y) || y is < 1 or > 9999 || m is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, m))
                {
                    return (null, Fail("error-date"));
                }

                var date = new DateOnly(y, m, d);
                var notBefore = q.NotBefore ?? new DateOnly(1900, 1, 1);
                var notAfter = q.NotAfterToday ? today : q.NotAfter ?? new DateOnly(2100, 12, 31);
                return date >= notBefore && date <= notAfter
                    ? (date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null)
                    : (null, Fail("error-date-range", ("min", Show(notBefore)), ("max", Show(notAfter))));
            default:
                var text = raw.Value(field);
                if (text.Trim().Length == 0)
                {
                    return (null, null);
                }

                return text.Length > q.MaxLength ? (null, Fail("error-too-long", ("max", q.MaxLength))) : (text.Trim(), null);
        }
    }

    private static string Show(DateOnly date) => date.ToString("d.M.yyyy", CultureInfo.InvariantCulture);
}
