using Askel.Runtime.Definitions;
using static Askel.Runtime.Tests.Definitions.DefinitionsKit;

namespace Askel.Runtime.Tests.Definitions;

/// <summary>Semantic problems: references, reachability, schedules, channels, forms and messages.</summary>
public sealed class WorkflowValidatorTests
{
    private const string Done = "  done:\n    end: completed";

    private static string Ask(string attempts = "[P0D via sms, P3D via sms]", string expires = "P7D", string next = "done", string onExpired = "done", string message = "") =>
        $"  exit:\n    ask: exit-form\n{message}    attempts: {attempts}\n    expires: {expires}\n    onExpired: {onExpired}\n    next: {next}\n";

    [Fact]
    public void Validate_UnknownNext_SuggestsAndListsIds()
    {
        var error = SingleError(Load(Workflow(Ask(next: "dnoe") + Done)));

        AssertAt(error, 11, 11);
        Assert.Equal("unknown step 'dnoe' in next — did you mean 'done'?", error.Message);
        Assert.Equal("use one of the step ids: exit, done", error.Fix);
    }

    [Fact]
    public void Validate_UnknownOnExpired_PointsAtIt()
    {
        AssertAt(SingleError(Load(Workflow(Ask(onExpired: "nowhere") + Done))), 10, 16);
    }

    [Fact]
    public void Validate_UnknownOutcomeTarget_NamesTheOutcome()
    {
        var error = SingleError(Load(Workflow("  call:\n    task: { fi: Soita, en: Call }\n    outcomes:\n      ok: done\n      gone: void\n" + Done)));

        AssertAt(error, 10, 13);
        Assert.Contains("outcome 'gone'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownOnTimeout_PointsAtIt()
    {
        AssertAt(SingleError(Load(Workflow("  coach:\n    waitFor: left\n    timeout: P1Y\n    onTimeout: dome\n    next: done\n" + Done))), 9, 16);
    }

    [Fact]
    public void Validate_UnknownChooseTargets_PointAtEach()
    {
        var result = Load(Workflow("  route:\n    choose:\n      - when: \"x\"\n        next: nope\n      - otherwise: nada\n" + Done));

        Assert.Equal(2, result.Errors.Count);
        AssertAt(result.Errors[0], 9, 15);
        AssertAt(result.Errors[1], 10, 20);
    }

    [Fact]
    public void Validate_UnknownStart_PointsAtIt()
    {
        AssertAt(SingleError(Load(Workflow(Done, extra: "start: begin\n"))), 5, 8);
    }

    [Fact]
    public void Validate_UnreachableStep_PointsAtIt()
    {
        var error = SingleError(Load(Workflow(Done + "\n  lost:\n    end: never")));

        AssertAt(error, 8, 3);
        Assert.Contains("'lost' can never be reached", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoEndStep_SaysTheWorkflowCannotFinish()
    {
        var error = SingleError(Load(Workflow("  a:\n    wait: P1D\n    next: b\n  b:\n    wait: P1D\n    next: a")));

        AssertAt(error, 6, 3);
        Assert.Contains("no end step", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LoopWithoutWayOut_PointsAtTheLoopSteps()
    {
        var result = Load(Workflow("  route:\n    choose:\n      - when: \"x\"\n        next: done\n      - otherwise: a\n  a:\n    wait: P1D\n    next: b\n  b:\n    wait: P1D\n    next: a\n" + Done));

        Assert.Equal(["a", "b"], result.Errors.Select(e => e.Message.Split('\'')[1]));
        Assert.All(result.Errors, e => Assert.Contains("loops forever", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_AttemptsNotIncreasing_PointsAtTheLaterOne()
    {
        var error = SingleError(Load(Workflow(Ask(attempts: "[P0D, P3D, P3D]") + Done)));

        AssertAt(error, 8, 26);
        Assert.Contains("not later", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AttemptsComparedAsCalendarTime_OneMonthAfterTwentyDays()
    {
        Valid(Load(Workflow(Ask(attempts: "[P20D, P1M]", expires: "P2M") + Done)));
        AssertAt(SingleError(Load(Workflow(Ask(attempts: "[P1M, P30D]", expires: "P2M") + Done))), 8, 21);
    }

    [Fact]
    public void Validate_ExpiresNotAfterLastAttempt_PointsAtExpires()
    {
        var error = SingleError(Load(Workflow(Ask(expires: "P3D") + Done)));

        AssertAt(error, 9, 14);
        Assert.Contains("P3D", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AttemptViaUndeclaredChannel_PointsAtTheAttempt()
    {
        var error = SingleError(Load(Workflow(Ask(attempts: "[P0D via sms, P3D via email]") + Done)));

        AssertAt(error, 8, 29);
        Assert.Contains("'email'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SendViaUndeclaredChannel_PointsAtVia()
    {
        AssertAt(SingleError(Load(Workflow("  hi:\n    send: hello\n    via: email\n    next: done\n" + Done))), 8, 10);
    }

    [Fact]
    public void Validate_AllFilesPresent_Succeeds()
    {
        var resources = new MemoryResources().Form("exit-form").SmsMessage("exit-form-link", "fi", "en");

        Assert.Empty(Load(Workflow(Ask() + Done), resources).Errors);
    }

    [Fact]
    public void Validate_MissingForm_PointsAtTheReference()
    {
        var resources = new MemoryResources().SmsMessage("exit-form-link", "fi", "en");

        var error = SingleError(Load(Workflow(Ask() + Done), resources));

        AssertAt(error, 7, 10);
        Assert.Contains("workflows/forms/exit-form.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MissingDefaultMessage_PointsAtTheAsk()
    {
        var error = SingleError(Load(Workflow(Ask() + Done), new MemoryResources().Form("exit-form")));

        AssertAt(error, 7, 10);
        Assert.Contains("'exit-form-link'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MissingNamedMessage_PointsAtMessage()
    {
        var error = SingleError(Load(Workflow(Ask(message: "    message: other-link\n") + Done), new MemoryResources().Form("exit-form")));

        AssertAt(error, 8, 14);
    }

    [Fact]
    public void Validate_FormMissingLanguage_PointsIntoTheFormFile()
    {
        var resources = new MemoryResources().Form("exit-form").SmsMessage("exit-form-link", "fi", "en");
        resources.Files["workflows/forms/exit-form.yaml"] = resources.Files["workflows/forms/exit-form.yaml"].Replace("title: { fi: Lomake, en: Form }\npages", "title: { fi: Lomake }\npages", StringComparison.Ordinal);

        var error = SingleError(Load(Workflow(Ask() + Done), resources));

        AssertAt(error, 2, 8, "workflows/forms/exit-form.yaml");
        Assert.Contains("'en'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_FormNameMismatch_PointsAtIt()
    {
        var resources = new MemoryResources().SmsMessage("exit-form-link", "fi", "en");
        resources.Files["workflows/forms/exit-form.yaml"] = "form: exit\ntitle: { fi: a, en: b }\npages:\n  - id: p\n    title: { fi: a, en: b }\n    questions:\n      - { id: q, type: yesno, label: { fi: a, en: b } }\n";

        AssertAt(SingleError(Load(Workflow(Ask() + Done), resources)), 1, 7, "workflows/forms/exit-form.yaml");
    }

    [Fact]
    public void Validate_SmsMissingLanguage_PointsIntoTheMessageFile()
    {
        var resources = new MemoryResources().Form("exit-form").SmsMessage("exit-form-link", "fi");

        var error = SingleError(Load(Workflow(Ask() + Done), resources));

        AssertAt(error, 2, 3, "workflows/messages/exit-form-link.yaml");
        Assert.Contains("SMS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EmailChannelWithoutEmailText_IsAnError()
    {
        var resources = new MemoryResources().Form("exit-form").SmsMessage("exit-form-link", "fi", "en");

        var error = SingleError(Load(Workflow(Ask() + Done, channels: "[sms, email]"), resources));

        AssertAt(error, 1, 1, "workflows/messages/exit-form-link.yaml");
        Assert.Contains("email", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EmailSubjectMissingLanguage_PointsAtSubject()
    {
        var resources = new MemoryResources().Form("exit-form").Message(
            "exit-form-link",
            "email:\n  subject: { fi: Aihe }\n  text: { fi: Teksti, en: Text }\n");

        var error = SingleError(Load(Workflow(Ask(attempts: "[P0D]") + Done, channels: "[email]"), resources));

        AssertAt(error, 2, 12, "workflows/messages/exit-form-link.yaml");
        Assert.Contains("subject", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MalformedMessageFile_ReportsItsOwnLocation()
    {
        var resources = new MemoryResources().Form("exit-form").Message("exit-form-link", "sms: { fi: \"x\"\n");

        var error = SingleError(Load(Workflow(Ask() + Done), resources));

        Assert.Equal("workflows/messages/exit-form-link.yaml", error.Location.File);
    }

    [Fact]
    public void Validate_MessageUsedTwice_ReportedOnce()
    {
        var resources = new MemoryResources().SmsMessage("hello", "fi");
        var steps = "  a:\n    send: hello\n    next: b\n  b:\n    send: hello\n    next: done\n" + Done;

        Assert.Single(Load(Workflow(steps), resources).Errors);
    }

    [Fact]
    public void Validate_CheckInMessage_IsChecked()
    {
        var error = SingleError(Load(Workflow("  coach:\n    waitFor: left\n    checkIn: { every: P30D, message: how-are-you }\n    next: done\n" + Done), new MemoryResources()));

        AssertAt(error, 8, 38);
    }

    [Fact]
    public void Validate_DefinitionDirectly_UsesGivenLocations()
    {
        var definition = Valid(Load(Workflow(Done)));
        var broken = definition with { Start = "nope" };
        var locations = new DefinitionLocations("w.yaml");
        locations.Set("start", new SourceLocation("w.yaml", 3, 4));

        var error = Assert.Single(WorkflowValidator.Validate(broken, locations, null));

        Assert.Equal(new SourceLocation("w.yaml", 3, 4), error.Location);
    }
}
