using Askel.App.Forms;
using Askel.App.Workflows.Overview;
using Askel.Runtime.Calendar;
using Askel.Runtime.Definitions;
using Askel.Testing;

namespace Askel.App.Tests.Workflows.Overview;

/// <summary>
/// Conditions and times of workflows in words, in Finnish, Swedish and English: the shipped workflows' own, a form's answer
/// named by its question and options, lists, and/or/not, and fields Askel does not name.
/// </summary>
public sealed class ConditionWordsTests
{
    private static readonly WorkflowDefinition Lifecycle = WorkflowCatalog.Load(Repository.Path("workflows")).Get("participant-lifecycle");
    private static readonly FormCatalog Forms = FormCatalog.Load(Repository.Path("workflows"));

    [Theory]
    [InlineData("fi", "1 päivä projektin päättymispäivän jälkeen", "6 kuukautta lähtöpäivän (tai, jos sitä ei ole, projektin päättymispäivän) jälkeen", "projektin päättyessä")]
    [InlineData("sv", "1 dag efter projektets slutdag", "6 månader efter deltagarens slutdatum (eller, om det saknas, projektets slutdag)", "när projektet slutar")]
    [InlineData("en", "1 day after the project's end date", "6 months after the day they left (or, if there is none, the project's end date)", "at the project's end")]
    public void TheShippedTimes_ReadAsMoments(string language, string coachingDeadline, string sixMonthWait, string projectEnd)
    {
        var words = new ConditionWords(language, Lifecycle, Forms);

        Assert.Equal(coachingDeadline, words.Moment(((WaitForEventStep)Lifecycle.Step("coaching")).Deadline!));
        Assert.Equal(sixMonthWait, words.Moment(((WaitStep)Lifecycle.Step("six-month-wait")).Until!));
        Assert.Equal(projectEnd, words.Moment("time(project.endDate)"));
    }

    [Theory]
    [InlineData("fi", "alkulomakkeen linkin toimitustapa on QR-koodi tapaamisessa")]
    [InlineData("sv", "hur länken till startblanketten når dem är en QR-kod på ett möte")]
    [InlineData("en", "how the entry form's link reaches them is a QR code in a meeting")]
    public void TheShippedBranch_ReadsAsAClause(string language, string expected) =>
        Assert.Equal(expected, new ConditionWords(language, Lifecycle, Forms).Condition(((ChooseStep)Lifecycle.Step("intake")).Branches[0].When));

    [Fact]
    public void AFormsAnswer_IsNamedByItsQuestion_AndItsValuesByTheirOptions()
    {
        var words = new ConditionWords("en", Lifecycle, Forms);

        Assert.Equal(
            "the answer to “Are you working now?” (form “Exit survey”) is “Yes, I work for an employer” or “Yes, I have my own business”",
            words.Condition("forms['esf-exit'].answers.working in ['employee', 'self-employed']"));
        Assert.Equal(
            "the answer to “Are you working now?” (form “Exit survey”) is not “No” and the outcome of the task “The exit form is missing after four attempts” is recorded",
            words.Condition("forms['esf-exit'].answers.working != 'no' and exists(tasks['exit-task'].outcome)"));
    }

    [Fact]
    public void AndOrNot_AndComparisons_ReadInWords()
    {
        var en = new ConditionWords("en", Lifecycle, Forms);
        var fi = new ConditionWords("fi", Lifecycle, Forms);

        Assert.Equal("it is not so that the participant's language is “sv”", en.Condition("not (language == 'sv')"));
        Assert.Equal(
            "(the field tries is at least 3 or the field urgent is yes) and the time the form “Exit survey” was sent in is before 6 months after the project's end date",
            en.Condition("(tries >= 3 or urgent == true) and forms['esf-exit'].completedAt < time(project.endDate) + duration('P6M')"));
        Assert.Equal("the number of items in the field tries is more than 1", en.Condition("count(tries) > 1"));
        Assert.Equal("kentän tries lukumäärä on suurempi kuin 1", fi.Condition("count(tries) > 1"));
        Assert.Equal("kenttä a.b on suurempi kuin 2 tai kenttä c on tyhjä", fi.Condition("a.b > 2 or c == null"));
        Assert.Equal("the field events[…].at is on or after now", en.Condition("events[name].at >= now"));
    }

    [Fact]
    public void WhatTheWordsDoNotCover_IsWrittenOut_NeverLoops()
    {
        var en = new ConditionWords("en", Lifecycle, Forms);

        // A duration read from the data, a number or null given to duration(): as written, with its arguments in words.
        Assert.Equal("duration(the field settings.wait) after the project's end date", en.Moment("time(project.endDate) + duration(settings.wait)"));
        Assert.Equal("at duration(5)", en.Moment("duration(5)"));
        Assert.Equal("at duration(empty)", en.Moment("duration(null)"));
        Assert.Equal("at the time in the field due", en.Moment("due"));
        Assert.Equal("kentän due ajankohtana", new ConditionWords("fi", Lifecycle, Forms).Moment("due"));
    }

    [Fact]
    public void DurationsInARow_AreAddedUp_AndTrueOrFalseReadAsTheClauseItself()
    {
        var en = new ConditionWords("en", Lifecycle, Forms);
        var fi = new ConditionWords("fi", Lifecycle, Forms);

        Assert.Equal("1 month and 1 day after the project's end date", en.Moment("time(project.endDate) + duration('P1M') + duration('P1D')"));
        Assert.Equal("1 kuukausi ja 1 päivä projektin päättymispäivän jälkeen", fi.Moment("time(project.endDate) + duration('P1M') + duration('P1D')"));
        Assert.Equal("29 days before the project's end date", en.Moment("time(project.endDate) - duration('P30D') + duration('P1D')"));
        Assert.Equal("the field a is recorded", en.Condition("exists(a) == true"));
        Assert.Equal("it is not so that the field a is recorded", en.Condition("exists(a) == false"));
        Assert.Equal("it is not so that the field a is recorded", en.Condition("exists(a) != true"));
        Assert.Equal("the field urgent is yes", en.Condition("urgent == true"));
    }

    [Theory]
    [InlineData("P0D", "at once", "heti")]
    [InlineData("P1D", "1 day", "1 päivä")]
    [InlineData("P14D", "14 days", "14 päivää")]
    [InlineData("P1Y2M", "1 year and 2 months", "1 vuosi ja 2 kuukautta")]
    [InlineData("P1DT12H30M", "1 day, 12 hours and 30 minutes", "1 päivä, 12 tuntia ja 30 minuuttia")]
    [InlineData("PT30S", "30 seconds", "30 sekuntia")]
    public void Durations_ReadInWords(string iso, string english, string finnish)
    {
        Assert.Equal(english, new ConditionWords("en", Lifecycle, Forms).Duration(IsoDuration.Parse(iso)));
        Assert.Equal(finnish, new ConditionWords("fi", Lifecycle, Forms).Duration(IsoDuration.Parse(iso)));
    }
}
