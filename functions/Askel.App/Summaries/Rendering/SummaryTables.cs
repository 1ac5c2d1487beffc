namespace Askel.App.Summaries.Rendering;

/// <summary>How a cell's number is shown.</summary>
public enum CellFormat
{
    /// <summary>Text only.</summary>
    Text,

    /// <summary>A whole number.</summary>
    Integer,

    /// <summary>A whole number with its sign (+3, −22).</summary>
    Signed,

    /// <summary>A share 0–1 shown as a percentage.</summary>
    Percent,

    /// <summary>A number with one decimal (an average).</summary>
    Decimal,
}

/// <summary>A table cell: text, or a number with its format (empty when <see cref="Number"/> and <see cref="Text"/> are both null).</summary>
public readonly record struct SummaryCell(string? Text, double? Number, CellFormat Format)
{
    /// <summary>A text cell.</summary>
    public static SummaryCell Of(string text) => new(text, null, CellFormat.Text);

    /// <summary>A number cell (null shows as empty).</summary>
    public static SummaryCell Of(double? number, CellFormat format) => new(null, number, format);

    /// <summary>The cell as a person reads it in <paramref name="language"/> (fi and sv: "45 %", "3,5", "−22").</summary>
    public string Display(string language)
    {
        if (Number is not { } n)
        {
            return Text ?? "";
        }

        var culture = SummaryTexts.Culture(language);
        return Format switch
        {
            CellFormat.Percent => (n * 100).ToString("0", culture) + (language is "fi" or "sv" ? " %" : "%"),
            CellFormat.Decimal => n.ToString("0.0", culture),
            CellFormat.Signed => n > 0 ? "+" + n.ToString("0", culture) : n < 0 ? "\u2212" + (-n).ToString("0", culture) : "0",
            _ => n.ToString("0", culture),
        };
    }
}

/// <summary>One table of the summary, as every format shows it: the email, the app page, a sheet of the XLSX, a CSV file.</summary>
/// <param name="Id">A file-name-safe id (e.g. <c>capture</c>): the CSV file's and the sheet's name.</param>
/// <param name="Title">The heading, in the summary's language.</param>
/// <param name="Columns">Column headings.</param>
/// <param name="Rows">Rows of cells, as many as the columns.</param>
public sealed record SummaryTable(string Id, string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<SummaryCell>> Rows);

/// <summary>The summary as labelled tables in Finnish, Swedish or English: one source for the email, the page and the files.</summary>
public static class SummaryTables
{
    /// <summary>The summary's tables in <paramref name="language"/> (<c>fi</c>, <c>sv</c> or <c>en</c>).</summary>
    public static IReadOnlyList<SummaryTable> Of(MonthlySummary summary, string language)
    {
        ArgumentNullException.ThrowIfNull(summary);
        string T(string key) => SummaryTexts.Get(key, language);
        static SummaryCell N(double? n, CellFormat f = CellFormat.Integer) => SummaryCell.Of(n, f);
        SummaryCell L(string key) => SummaryCell.Of(T(key));

        var tables = new List<SummaryTable>
        {
            new("overview", T("table-overview"), [T("col-figure"), T("col-month"), T("col-cumulative")],
            [
                [L("starts"), N(summary.Starts.InMonth), N(summary.Starts.Cumulative)],
                [L("exits"), N(summary.Exits.InMonth), N(summary.Exits.Cumulative)],
                [L("caseload"), SummaryCell.Of(""), N(summary.Coordinators.Sum(c => c.Caseload))],
                [L("satisfaction"), N(summary.Satisfaction.AverageInMonth, CellFormat.Decimal), N(summary.Satisfaction.AverageCumulative, CellFormat.Decimal)],
                [L("satisfaction-answers"), N(summary.Satisfaction.AnswersInMonth), N(summary.Satisfaction.AnswersCumulative)],
                [L("open-tasks"), SummaryCell.Of(""), N(summary.OpenTasks.Sum(t => t.Count))],
            ]),
            new("capture", T("table-capture"), [T("col-form"), T("col-due-month"), T("col-received-month"), T("col-due-total"), T("col-received-total"), T("col-rate"), T("col-overdue"), T("col-closed")],
            [.. summary.Capture.Select(c => (IReadOnlyList<SummaryCell>)
                [L("form-" + c.Form), N(c.DueInMonth), N(c.ReceivedInMonth), N(c.DueTotal), N(c.ReceivedTotal), N(c.Rate, CellFormat.Percent), N(c.Overdue), N(c.ClosedTotal)])]),
            new("exit-outcomes", T("table-exit-outcomes"), [T("col-outcome"), T("col-month"), T("col-cumulative")],
            [.. summary.ExitOutcomes.Select(o => (IReadOnlyList<SummaryCell>)[L("outcome-" + o.Outcome), N(o.InMonth), N(o.Cumulative)])]),
            new("work-or-education", T("table-work-or-education"), [T("col-group"), T("col-exits"), T("col-work-or-education"), T("col-share")],
            [.. summary.WorkOrEducation.Select(w => (IReadOnlyList<SummaryCell>)[L("group-" + w.Group), N(w.Leavers), N(w.ToWorkOrEducation), N(w.Share, CellFormat.Percent)])]),
            new("six-month-outcomes", T("table-six-month-outcomes"), [T("col-outcome"), T("col-month-six"), T("col-cumulative")],
            [.. summary.SixMonthOutcomes.Select(o => (IReadOnlyList<SummaryCell>)[L("six-" + o.Outcome), N(o.InMonth), N(o.Cumulative)])]),
            new("status-changes", T("table-status-changes"), [T("col-status"), T("col-month"), T("col-cumulative")],
            [.. summary.StatusChanges.Select(s => (IReadOnlyList<SummaryCell>)[L("status-" + s.Status), N(s.InMonth, CellFormat.Signed), N(s.Cumulative, CellFormat.Signed)])]),
            new("indicators", T("table-indicators"), [T("col-code"), T("col-indicator"), T("col-women"), T("col-men"), T("col-non-binary"), T("col-unknown"), T("col-total")],
            [.. summary.Indicators.Select(i => (IReadOnlyList<SummaryCell>)
                [SummaryCell.Of(i.Code), L("indicator-" + i.Indicator), N(i.Women), N(i.Men), N(i.NonBinary), N(i.Unknown), N(i.Total)])]),
            new("targets", T("table-targets"), [T("col-target"), T("col-goal"), T("col-actual"), T("col-met")],
            [.. summary.Targets.Select(t => (IReadOnlyList<SummaryCell>)
            [
                L("target-" + t.Target),
                N(t.Goal, t.IsShare ? CellFormat.Percent : CellFormat.Integer),
                N(t.Actual, t.IsShare ? CellFormat.Percent : CellFormat.Integer),
                L(t.Met ? "yes" : "no"),
            ])]),
            new("coordinators", T("table-coordinators"), [T("col-coordinator"), T("col-caseload"), T("col-starts"), T("col-exits"), T("col-open-tasks"), T("col-overdue")],
            [.. summary.Coordinators.Select(c => (IReadOnlyList<SummaryCell>)
                [SummaryCell.Of(c.Coordinator), N(c.Caseload), N(c.StartsInMonth), N(c.ExitsInMonth), N(c.OpenTasks), N(c.OverdueForms)])]),
            new("plans", T("table-plans"),
                [T("col-coordinator"), T("col-plans"), T("col-plans-up-to-date"), T("col-share"), T("col-plans-overdue"), T("col-plans-days-overdue"), T("col-plans-new"), T("col-plans-reviewed")],
            [.. summary.Plans.Select(p => (IReadOnlyList<SummaryCell>)
                [p.Coordinator is { } c ? SummaryCell.Of(c) : L("plans-all"), N(p.Open), N(p.UpToDate), N(p.Share, CellFormat.Percent), N(p.Overdue),
                 N(p.AverageDaysOverdue, CellFormat.Decimal), N(p.NewInMonth), N(p.ReviewedInMonth)])]),
            new("consents", T("table-consents"),
                [T("col-consent-scope"), T("col-consents-given-month"), T("col-consents-given"), T("col-consents-withdrawn-month"), T("col-consents-withdrawn"), T("col-consents-in-force")],
            [.. summary.Consents.Select(c => (IReadOnlyList<SummaryCell>)
                [L("consent-scope-" + c.Scope), N(c.GivenInMonth), N(c.Given), N(c.WithdrawnInMonth), N(c.Withdrawn), N(c.InForce)])]),
            new("open-tasks", T("table-open-tasks"), [T("col-task"), T("col-count")],
            [.. summary.OpenTasks.Select(t => (IReadOnlyList<SummaryCell>)[SummaryCell.Of(t.Title), N(t.Count)])]),
            new("guidance", T("table-guidance"), [T("col-figure"), T("col-month"), T("col-cumulative")],
            [
                .. summary.Guidance.Select(g => (IReadOnlyList<SummaryCell>)[SummaryCell.Of(GuidanceLabel(g, language)), N(g.InMonth), N(g.Cumulative)]),
                [L("guidance-satisfaction"), N(summary.GuidanceSatisfaction.AverageInMonth, CellFormat.Decimal), N(summary.GuidanceSatisfaction.AverageCumulative, CellFormat.Decimal)],
                [L("guidance-satisfaction-answers"), N(summary.GuidanceSatisfaction.AnswersInMonth), N(summary.GuidanceSatisfaction.AnswersCumulative)],
            ]),
            Cooperation("employers", summary.Employers),
            Cooperation("events", summary.Events,
            [
                [L("coop-feedback"), N(summary.EventFeedback.AverageInMonth, CellFormat.Decimal), N(summary.EventFeedback.AverageCumulative, CellFormat.Decimal), SummaryCell.Of("")],
                [L("coop-feedback-answers"), N(summary.EventFeedback.AnswersInMonth), N(summary.EventFeedback.AnswersCumulative), SummaryCell.Of("")],
            ]),
            new("trend", T("table-trend"), [T("col-month-name"), T("col-starts"), T("col-exits"), T("col-work-or-education"), T("col-exit-rate")],
            [.. summary.Trend.Select(p => (IReadOnlyList<SummaryCell>)
                [SummaryCell.Of(p.Month), N(p.Starts), N(p.Exits), N(p.ToWorkOrEducation), N(p.ExitCaptureRate, CellFormat.Percent)])]),
        };
        return tables;

        SummaryTable Cooperation(string id, IReadOnlyList<CooperationLine> lines, IReadOnlyList<IReadOnlyList<SummaryCell>>? more = null) =>
            new(id, T("table-" + id), [T("col-figure"), T("col-month"), T("col-cumulative"), T("col-goal")],
            [.. lines.Select(l => (IReadOnlyList<SummaryCell>)[L(CooperationLabel(l.Figure)), N(l.InMonth), N(l.Cumulative), N(l.Target)]), .. more ?? []]);
    }

    /// <summary>The text key of a cooperation figure (<c>size/micro</c> → <c>coop-size-micro</c>): the register's forms use the same words.</summary>
    public static string CooperationLabel(string figure) => "coop-" + figure.Replace('/', '-');

    /// <summary>A guidance line's label: "Guidance contacts", or its trait and value ("Channel: Walk-in", "Language: suomi (fi)").</summary>
    public static string GuidanceLabel(GuidanceLine line, string language)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Trait == "all")
        {
            return SummaryTexts.Get("guidance-all-contacts", language);
        }

        var value = line.Trait == "language" ? Coordinator.Components.Formats.LanguageName(line.Value) : SummaryTexts.Get($"guidance-{line.Trait}-{line.Value}", language);
        return $"{SummaryTexts.Get($"guidance-{line.Trait}", language)}: {value}";
    }
}
