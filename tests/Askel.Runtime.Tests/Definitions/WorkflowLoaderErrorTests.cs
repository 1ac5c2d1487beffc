using Askel.Runtime.Calendar;
using Askel.Runtime.Definitions;
using static Askel.Runtime.Tests.Definitions.DefinitionsKit;

namespace Askel.Runtime.Tests.Definitions;

/// <summary>Structural problems: each names the file, line and column, and says how to fix it.</summary>
public sealed class WorkflowLoaderErrorTests
{
    private const string Done = "  done:\n    end: completed";

    [Fact]
    public void Load_MalformedYaml_ReportsOneErrorAtParserMark()
    {
        var error = SingleError(Load("workflow: test\ntitle: { fi: x\nsteps: [\n"));

        Assert.Contains("not valid YAML", error.Message, StringComparison.Ordinal);
        Assert.Equal("workflows/test.yaml", error.Location.File);
        Assert.True(error.Location.Line >= 2, error.ToString());
    }

    [Fact]
    public void Load_EmptyFile_SaysSo()
    {
        var error = SingleError(Load(""));

        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
        AssertAt(error, 1, 1);
    }

    [Fact]
    public void Load_RootIsAList_ReportsIt()
    {
        AssertAt(SingleError(Load("- workflow: test\n")), 1, 1);
    }

    [Fact]
    public void Load_UnknownTopLevelKey_SuggestsClosest()
    {
        var error = SingleError(Load(Workflow(Done, extra: "chanels: [sms]\n")));

        AssertAt(error, 5, 1);
        Assert.Contains("'chanels'", error.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'channels'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownStepKey_SuggestsClosestAndNamesTheStepKind()
    {
        var error = SingleError(Load(Workflow("  wait-a-bit:\n    wait: P1D\n    nxet: done\n    next: done\n" + Done)));

        AssertAt(error, 8, 5);
        Assert.Contains("wait step", error.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'next'?", error.Message, StringComparison.Ordinal);
        Assert.Contains("wait, next", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_KeyOfAnotherStepKind_SaysWhereItBelongs()
    {
        var error = SingleError(Load(Workflow("  notify:\n    send: hello\n    url: https://x.fi\n    next: done\n" + Done)));

        AssertAt(error, 8, 5);
        Assert.Contains("belongs to external steps", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownKeyInFixture_PointsAtIt()
    {
        var path = Fixtures("invalid", "unknown-key.yaml");

        var error = SingleError(Askel.Runtime.Definitions.WorkflowLoader.LoadFile(path, null, "workflows/unknown-key.yaml"));

        AssertAt(error, 8, 5, "workflows/unknown-key.yaml");
        Assert.Contains("an end step", error.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'next'?", error.Message, StringComparison.Ordinal);
        Assert.Equal("use only: end, title", error.Fix);
    }

    [Fact]
    public void Load_DuplicateKey_PointsAtTheSecond()
    {
        var error = SingleError(Load(Workflow(Done, extra: "channels: [email]\n")));

        AssertAt(error, 5, 1);
        Assert.Contains("written twice", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DuplicateStepId_PointsAtTheSecond()
    {
        var error = SingleError(Load(Workflow(Done + "\n  done:\n    end: other")));

        AssertAt(error, 8, 3);
    }

    [Fact]
    public void Load_NameDiffersFromFileName_SaysBoth()
    {
        var error = SingleError(Load(Workflow(Done, name: "other")));

        AssertAt(error, 1, 11);
        Assert.Contains("'other'", error.Message, StringComparison.Ordinal);
        Assert.Contains("test.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidWorkflowName_IsRejected()
    {
        var error = SingleError(Load(Workflow(Done, name: "Test_1"), file: "workflows/Test_1.yaml"));

        AssertAt(error, 1, 11, "workflows/Test_1.yaml");
    }

    [Fact]
    public void Load_NumberWhereTextIsNeeded_AsksForQuotes()
    {
        var error = SingleError(Load(Workflow("  done:\n    end: 42")));

        AssertAt(error, 7, 10);
        Assert.Contains("a number", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"42\"", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BooleanWhereTextIsNeeded_IsRejected()
    {
        var error = SingleError(Load(Workflow("  go:\n    wait: P1D\n    next: true\n" + Done)));

        AssertAt(error, 8, 11);
        Assert.Contains("boolean", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EmptyValue_IsRejected()
    {
        var error = SingleError(Load(Workflow("  go:\n    wait: P1D\n    next:\n" + Done)));

        AssertAt(error, 8, 10);
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_QuotedOptional_MustBeBoolean()
    {
        var error = SingleError(Load(Workflow("  hi:\n    send: hello\n    optional: \"yes\"\n    next: done\n" + Done)));

        AssertAt(error, 8, 15);
    }

    [Fact]
    public void Load_StepWithoutKind_SaysWhatKindsExist()
    {
        var error = SingleError(Load(Workflow("  go:\n    next: done\n" + Done)));

        AssertAt(error, 6, 3);
        Assert.Contains("ask, external, task", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_StepWithMisspeltKind_SuggestsIt()
    {
        var error = SingleError(Load(Workflow("  go:\n    wiat: P1D\n    next: done\n" + Done)));

        Assert.Contains("did you mean 'wait'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_StepWithTwoKinds_PointsAtTheSecond()
    {
        var error = SingleError(Load(Workflow("  go:\n    wait: P1D\n    until: \"x\"\n    next: done\n" + Done)));

        AssertAt(error, 8, 5);
    }

    [Fact]
    public void Load_MissingRequiredField_PointsAtTheStep()
    {
        var error = SingleError(Load(Workflow("  go:\n    wait: P1D\n" + Done)));

        AssertAt(error, 7, 5);
        Assert.Contains("'next'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingTopLevelKeys_ReportsEach()
    {
        var result = Load("workflow: test\n");

        Assert.Null(result.Definition);
        Assert.Equal(4, result.Errors.Count);
        Assert.All(result.Errors, e => AssertAt(e, 1, 1));
    }

    [Fact]
    public void Load_BadDuration_PointsAtIt()
    {
        var error = SingleError(Load(Workflow("  go:\n    wait: 6 months\n    next: done\n" + Done)));

        AssertAt(error, 7, 11);
        Assert.Contains("P6M", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadAttempt_PointsAtTheItem()
    {
        var error = SingleError(Askel.Runtime.Definitions.WorkflowLoader.LoadFile(Fixtures("invalid", "bad-attempt.yaml"), null, "workflows/bad-attempt.yaml"));

        AssertAt(error, 8, 29, "workflows/bad-attempt.yaml");
    }

    [Fact]
    public void Load_UnknownChannelInAttempt_Suggests()
    {
        var source = Workflow("  go:\n    ask: f\n    attempts: [P0D via smss]\n    expires: P2D\n    onExpired: done\n    next: done\n" + Done);

        var error = SingleError(Load(source));

        AssertAt(error, 8, 16);
        Assert.Contains("did you mean 'sms'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownLanguage_Suggests()
    {
        var error = SingleError(Load(Workflow(Done, languages: "[fi, en, se]")));

        AssertAt(error, 3, 21);
        Assert.Contains("fi, sv, en", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownChannel_IsRejected()
    {
        AssertAt(SingleError(Load(Workflow(Done, channels: "[sms, fax]"))), 4, 17);
    }

    [Fact]
    public void Load_EmptyLanguages_IsRejected()
    {
        AssertAt(SingleError(Load(Workflow(Done, languages: "[]"))), 3, 12);
    }

    [Fact]
    public void Load_UnknownTimeZone_IsRejected()
    {
        var error = SingleError(Load(Workflow(Done, extra: "calendar: { timeZone: Europe/Helsinky }\n")));

        AssertAt(error, 5, 23);
        Assert.Contains("Europe/Helsinki", error.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"21-08\"")]
    [InlineData("\"25:00-08:00\"")]
    [InlineData("\"08:00-08:00\"")]
    public void Load_BadQuietHours_IsRejected(string quietHours)
    {
        var error = SingleError(Load(Workflow(Done, extra: $"calendar: {{ quietHours: {quietHours} }}\n")));

        AssertAt(error, 5, 25);
    }

    [Fact]
    public void Load_UnknownHolidays_Suggests()
    {
        var error = SingleError(Load(Workflow(Done, extra: "calendar: { holidays: finish }\n")));

        Assert.Contains("did you mean 'finnish'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TaskTitleWithoutEnglish_IsAnError()
    {
        var error = SingleError(Load(Workflow("  call:\n    task: { fi: Soita }\n    outcomes: { ok: done }\n" + Done)));

        AssertAt(error, 7, 11);
        Assert.Contains("'en'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TaskTitleAsPlainText_AsksForAMap()
    {
        AssertAt(SingleError(Load(Workflow("  call:\n    task: Call them\n    outcomes: { ok: done }\n" + Done))), 7, 11);
    }

    [Fact]
    public void Load_OutcomeWithTitle_GivesItsWords_AndTheStepItLeadsTo()
    {
        var result = Load(Workflow(
            "  call:\n    task: { fi: Soita, en: Call }\n    outcomes:\n      reached: { next: done, title: { fi: Tavoitettiin, sv: Nåddes, en: Reached } }\n      gone: done\n" + Done));

        var task = Assert.IsType<TaskStep>(Assert.IsType<WorkflowDefinition>(result.Definition).Step("call"));
        Assert.Equal(["reached", "gone"], task.Outcomes.Keys);
        Assert.Equal(["done", "done"], task.Outcomes.Values);
        Assert.Equal("Nåddes", task.OutcomeTitles["reached"].For("sv"));
        Assert.False(task.OutcomeTitles.ContainsKey("gone"));
    }

    [Fact]
    public void Load_OutcomeMapWithoutNext_OrWithAStrayKey_OrATitleWithoutEnglish_IsAnError()
    {
        var missingNext = SingleError(Load(Workflow("  call:\n    task: { fi: Soita, en: Call }\n    outcomes:\n      reached: { title: { fi: Tavoitettiin, en: Reached } }\n" + Done)));
        var stray = SingleError(Load(Workflow("  call:\n    task: { fi: Soita, en: Call }\n    outcomes:\n      reached: { next: done, titel: { fi: T, en: R } }\n" + Done)));
        var noEnglish = SingleError(Load(Workflow("  call:\n    task: { fi: Soita, en: Call }\n    outcomes:\n      reached: { next: done, title: { fi: Tavoitettiin } }\n" + Done)));

        Assert.Contains("outcome 'reached' has no 'next'", missingNext.Message, StringComparison.Ordinal);
        AssertAt(missingNext, 9, 16);
        Assert.Contains("did you mean 'title'", stray.Message, StringComparison.Ordinal);
        Assert.Contains("'en'", noEnglish.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EmptyOutcomes_IsRejected()
    {
        AssertAt(SingleError(Load(Workflow("  call:\n    task: { fi: Soita, en: Call }\n    outcomes: {}\n" + Done))), 8, 15);
    }

    [Fact]
    public void Load_ExternalWithoutMessage_IsRejected()
    {
        var source = Workflow("  eura:\n    external: eura\n    url: https://eura2021.fi\n    attempts: [P0D]\n    expires: P2D\n    onExpired: done\n    next: done\n" + Done);

        var error = SingleError(Load(source));

        AssertAt(error, 7, 5);
        Assert.Contains("'message'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ReportsOfExternalAndTask_AreTheFormsTheyDeclare_WhateverTheirNames()
    {
        var source = Workflow(
            "  ely:\n    external: ely-report\n    reports: exit\n    url: https://eura2021.fi\n    message: m\n    attempts: [P0D]\n    expires: P2D\n    onExpired: call\n    next: done\n"
            + "  call:\n    task: { fi: Soita, en: Call }\n    reports: six-month\n    outcomes: { called: entry-task }\n"
            + "  entry-task:\n    task: { fi: Soita, en: Call }\n    outcomes: { called: done }\n" + Done);

        var definition = Valid(Load(source));

        Assert.Equal(ReportedForm.Exit, definition.Step("ely").Reports);
        Assert.Equal(ReportedForm.SixMonth, definition.Step("call").Reports);
        Assert.Null(definition.Step("entry-task").Reports); // a name says nothing
    }

    [Fact]
    public void Load_ReportsOfAnUnknownForm_SuggestsTheClosest()
    {
        var error = SingleError(Load(Workflow("  call:\n    task: { fi: Soita, en: Call }\n    reports: exitt\n    outcomes: { called: done }\n" + Done)));

        AssertAt(error, 8, 14);
        Assert.Contains("did you mean 'exit'?", error.Message, StringComparison.Ordinal);
        Assert.Contains("entry, exit, six-month", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ReceivedOutcomes_AreTheOnesDeclared_WhateverTheirNames()
    {
        var definition = Valid(Load(Workflow(
            "  call:\n    task: { fi: Soita, en: Call }\n    reports: exit\n    received: [typed-in]\n    outcomes: { typed-in: done, entered-by-project: done }\n" + Done)));

        var task = (TaskStep)definition.Step("call");
        Assert.Equal(["typed-in"], task.Received); // "entered-by-project" is only a name here
    }

    [Fact]
    public void Load_ReceivedNotAnOutcome_SuggestsTheClosest_AndWithoutReports_IsRefused()
    {
        var unknown = SingleError(Load(Workflow(
            "  call:\n    task: { fi: Soita, en: Call }\n    reports: exit\n    received: [entered-by-projct]\n    outcomes: { entered-by-project: done }\n" + Done)));
        var unreported = SingleError(Load(Workflow(
            "  call:\n    task: { fi: Soita, en: Call }\n    received: [entered]\n    outcomes: { entered: done }\n" + Done)));

        AssertAt(unknown, 9, 16);
        Assert.Contains("did you mean 'entered-by-project'?", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("reports no form", unreported.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ReportsOnAnAskStep_IsRefused_TheFormSaysIt()
    {
        var error = SingleError(Load(Workflow("  exit:\n    ask: exit-form\n    reports: exit\n    attempts: [P0D]\n    expires: P2D\n    onExpired: done\n    next: done\n" + Done)));

        Assert.Contains("'reports'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://eura2021.fi")]
    [InlineData("eura2021.fi/osallistuja")]
    public void Load_ExternalUrlNotAbsoluteHttps_IsRejected(string url)
    {
        var source = Workflow($"  eura:\n    external: eura\n    url: {url}\n    message: m\n    attempts: [P0D]\n    expires: P2D\n    onExpired: done\n    next: done\n" + Done);

        AssertAt(SingleError(Load(source)), 8, 10);
    }

    [Fact]
    public void Load_TimeoutWithoutOnTimeout_IsRejected()
    {
        var error = SingleError(Load(Workflow("  coach:\n    waitFor: left\n    timeout: P1Y\n    next: done\n" + Done)));

        AssertAt(error, 8, 5);
        Assert.Contains("onTimeout", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OnTimeoutWithoutTimeout_IsRejected()
    {
        AssertAt(SingleError(Load(Workflow("  coach:\n    waitFor: left\n    onTimeout: done\n    next: done\n" + Done))), 8, 5);
    }

    [Fact]
    public void Load_BadEventName_IsRejected()
    {
        AssertAt(SingleError(Load(Workflow("  coach:\n    waitFor: Left Project\n    next: done\n" + Done))), 7, 14);
    }

    [Fact]
    public void Load_CheckInWithoutEvery_IsRejected()
    {
        AssertAt(SingleError(Load(Workflow("  coach:\n    waitFor: left\n    checkIn: { message: hi }\n    next: done\n" + Done))), 8, 14);
    }

    [Fact]
    public void Load_ChooseWithoutOtherwise_IsRejected()
    {
        var error = SingleError(Load(Workflow("  route:\n    choose:\n      - when: \"x\"\n        next: done\n" + Done)));

        AssertAt(error, 8, 9);
        Assert.Contains("otherwise", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OtherwiseNotLast_IsRejected()
    {
        var error = SingleError(Load(Workflow("  route:\n    choose:\n      - otherwise: done\n      - when: \"x\"\n        next: done\n" + Done)));

        AssertAt(error, 9, 9);
    }

    [Fact]
    public void Load_FormNameWithPath_IsRejected()
    {
        var source = Workflow("  go:\n    ask: ../secrets\n    attempts: [P0D]\n    expires: P2D\n    onExpired: done\n    next: done\n" + Done);

        AssertAt(SingleError(Load(source)), 7, 10);
    }

    private const string Call = "  call:\n    task: { fi: Soita, en: Call }\n    outcomes: { done: done }\n";

    [Fact]
    public void Load_TaskWithDueAndEscalations_ReadsThemInOrder()
    {
        var task = (TaskStep)Valid(Load(Workflow(Call + "    due: P5D\n    escalate: [P0D to coordinator, P3D to managers]\n" + Done))).Step("call");

        Assert.Equal(IsoDuration.Parse("P5D"), task.Due);
        Assert.Equal([new Escalation(IsoDuration.Parse("P0D"), EscalationTarget.Coordinator), new Escalation(IsoDuration.Parse("P3D"), EscalationTarget.Managers)], task.Escalations);
    }

    [Fact]
    public void Load_EscalationWithoutDue_SaysToAddIt()
    {
        var error = SingleError(Load(Workflow(Call + "    escalate: [P0D to coordinator]\n" + Done)));

        AssertAt(error, 9, 15);
        Assert.Contains("due", error.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[P1D to everyone]", 10, 16)]
    [InlineData("[soon to managers]", 10, 16)]
    [InlineData("[P3D to coordinator, P1D to managers]", 10, 36)]
    public void Load_BadEscalation_PointsAtIt(string escalate, int line, int column)
    {
        var error = SingleError(Load(Workflow(Call + "    due: P2D\n    escalate: " + escalate + "\n" + Done)));

        AssertAt(error, line, column);
    }

    [Fact]
    public void Load_DueNotADuration_IsRejected()
    {
        var error = SingleError(Load(Workflow(Call + "    due: tomorrow\n" + Done)));

        AssertAt(error, 9, 10);
    }

    [Fact]
    public void Load_StepTitle_IsReadPerLanguage_AndATaskKeepsItsTitleInTask()
    {
        var definition = Valid(Load(Workflow("  pause:\n    title: { fi: Tauko, sv: Paus, en: Pause }\n    wait: P1D\n    next: done\n" + Done)));
        var error = SingleError(Load(Workflow(Call + "    title: { fi: Soita, en: Call }\n" + Done)));

        Assert.Equal(("Tauko", "Paus", "Pause"), (definition.Step("pause").Label!.For("fi"), definition.Step("pause").Label!.For("sv"), definition.Step("pause").Label!.For("en")));
        Assert.Contains("'title'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_StepTitleWithoutEnglish_IsRejected()
    {
        SingleError(Load(Workflow("  pause:\n    title: { fi: Tauko }\n    wait: P1D\n    next: done\n" + Done)));
    }
}
