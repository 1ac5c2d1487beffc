using Askel.Runtime.Calendar;
using Askel.Runtime.Definitions;
using static Askel.Runtime.Tests.Definitions.DefinitionsKit;

namespace Askel.Runtime.Tests.Definitions;

/// <summary>Valid workflows load into the right step records.</summary>
public sealed class WorkflowLoaderTests
{
    private static WorkflowDefinition ExitChase()
    {
        var folder = Fixtures("workflows");
        return Valid(WorkflowLoader.LoadFile(Path.Combine(folder, "exit-chase.yaml"), new WorkflowFolderResources(folder)));
    }

    [Fact]
    public void Load_FullFixture_ReadsHeader()
    {
        var definition = ExitChase();

        Assert.Equal("exit-chase", definition.Name);
        Assert.Equal("Collecting the exit form", definition.Title.For("en"));
        Assert.Equal(["fi", "sv", "en"], definition.Languages);
        Assert.Equal(["sms", "email"], definition.Channels);
        Assert.Equal("coaching", definition.Start);
        Assert.Equal("Europe/Helsinki", definition.Calendar.TimeZone.Id);
        Assert.Equal(new TimeOnly(21, 0), definition.Calendar.QuietStart);
        Assert.Equal(new TimeOnly(8, 0), definition.Calendar.QuietEnd);
        Assert.True(definition.Calendar.SkipHolidays);
    }

    [Fact]
    public void Load_FullFixture_KeepsStepsInFileOrder()
    {
        var definition = ExitChase();

        Assert.Equal(
            ["coaching", "exit", "exit-task", "eura-entry", "follow-up", "route", "later", "notify", "done"],
            definition.Steps.Keys);
    }

    [Fact]
    public void Load_AskStep_ReadsAttemptsExpiryAndTargets()
    {
        var ask = Assert.IsType<AskStep>(ExitChase().Step("exit"));

        Assert.Equal("exit-form", ask.Form);
        Assert.Equal("exit-form-link", ask.Message);
        Assert.Equal([0, 3, 7, 14], ask.Attempts.Select(a => a.After.Days));
        Assert.Equal(["sms", "email", "sms", "email"], ask.Attempts.Select(a => a.Via));
        Assert.Equal(IsoDuration.Parse("P21D"), ask.Expires);
        Assert.Equal("exit-task", ask.OnExpired);
        Assert.Equal("eura-entry", ask.Next);
        Assert.Equal(new SourceLocation(Path.Combine(Fixtures("workflows"), "exit-chase.yaml"), 18, 3), ask.Location);
    }

    [Fact]
    public void Load_ExternalStep_ReadsUrlAndAttemptWithoutChannel()
    {
        var external = Assert.IsType<ExternalStep>(ExitChase().Step("eura-entry"));

        Assert.Equal("eura-entry", external.Name);
        Assert.Equal(new Uri("https://eura2021.fi/osallistuja"), external.Url);
        Assert.Equal("eura-entry-link", external.Message);
        Assert.Equal("email", external.Attempts[0].Via);
        Assert.Null(external.Attempts[1].Via);
        Assert.Equal(5, external.Attempts[1].After.Days);
        Assert.Equal(30, external.Expires.Days);
    }

    [Fact]
    public void Load_TaskStep_ReadsTitleAndOutcomesInOrder()
    {
        var task = Assert.IsType<TaskStep>(ExitChase().Step("exit-task"));

        Assert.Equal("Tavoita osallistuja", task.Title.For("fi"));
        Assert.Equal("Reach the participant", task.Title.For("en"));
        Assert.Equal(["filled-together", "unreachable"], task.Outcomes.Keys);
        Assert.Equal("eura-entry", task.Outcomes["filled-together"]);
        Assert.Equal(["eura-entry", "done"], task.Targets);
    }

    [Fact]
    public void Load_WaitSteps_ReadDurationOrExpression()
    {
        var definition = ExitChase();
        var wait = Assert.IsType<WaitStep>(definition.Step("follow-up"));
        var until = Assert.IsType<WaitStep>(definition.Step("later"));

        Assert.Equal(6, wait.For!.Months);
        Assert.Null(wait.Until);
        Assert.Null(until.For);
        Assert.Equal("events.participant-left.date + P1Y", until.Until);
        Assert.Equal("done", until.Next);
    }

    [Fact]
    public void Load_WaitForEventStep_ReadsTimeoutAndCheckIn()
    {
        var waitFor = Assert.IsType<WaitForEventStep>(ExitChase().Step("coaching"));

        Assert.Equal("participant-left", waitFor.Event);
        Assert.Equal(2, waitFor.Timeout!.Years);
        Assert.Equal("done", waitFor.OnTimeout);
        Assert.Equal(new CheckIn(IsoDuration.Parse("P30D"), "how-are-you"), waitFor.CheckIn);
        Assert.Equal("exit", waitFor.Next);
    }

    [Fact]
    public void Load_ChooseStep_ReadsBranchesAndOtherwise()
    {
        var choose = Assert.IsType<ChooseStep>(ExitChase().Step("route"));

        var branch = Assert.Single(choose.Branches);
        Assert.Equal("forms['exit-form'].answers.status == 'employed'", branch.When);
        Assert.Equal("notify", branch.Next);
        Assert.Equal(43, branch.Location.Line);
        Assert.Equal(16, branch.Location.Column); // the first character inside the quotes
        Assert.Equal("later", choose.Otherwise);
        Assert.Equal(["notify", "later"], choose.Targets);
    }

    [Fact]
    public void Load_SendAndEndSteps_ReadTheirFields()
    {
        var definition = ExitChase();

        Assert.Equal(new SendStep("notify", definition.Step("notify").Location, "how-are-you", "sms", true, "done"), definition.Step("notify"));
        Assert.Equal("completed", Assert.IsType<EndStep>(definition.Step("done")).Outcome);
    }

    [Fact]
    public void Load_MinimalWorkflow_AppliesDefaults()
    {
        var folder = Fixtures("workflows");
        var definition = Valid(WorkflowLoader.LoadFile(Path.Combine(folder, "minimal.yaml"), new WorkflowFolderResources(folder)));
        var ask = Assert.IsType<AskStep>(definition.Step("ask-feedback"));

        Assert.Equal("ask-feedback", definition.Start);
        Assert.Equal("feedback-link", ask.Message);
        Assert.Equal(CalendarPolicy.Default, definition.Calendar);
        Assert.Null(ask.Attempts[0].Via);
    }

    [Fact]
    public void Load_SendWithoutOptional_IsNotOptional()
    {
        var source = Workflow("  hello:\n    send: hello\n    next: done\n  done:\n    end: completed");

        var send = Assert.IsType<SendStep>(Valid(Load(source)).Step("hello"));

        Assert.False(send.Optional);
        Assert.Null(send.Via);
    }

    [Fact]
    public void Load_CountsContactAttempts_ReadOnAskAndExternal_DefaultFalse()
    {
        var source = Workflow(
            "  ask:\n    ask: feedback\n    attempts: [P0D]\n    expires: P7D\n    onExpired: eura\n    next: eura\n    countsContactAttempts: true\n" +
            "  eura:\n    external: eura-exit\n    url: https://eura.example/exit\n    message: eura-link\n    attempts: [P0D]\n    expires: P7D\n    onExpired: done\n    next: done\n" +
            "  done:\n    end: completed");

        var definition = Valid(Load(source));

        Assert.True(Assert.IsType<AskStep>(definition.Step("ask")).CountsContactAttempts);
        Assert.False(Assert.IsType<ExternalStep>(definition.Step("eura")).CountsContactAttempts);
        Assert.Empty(WorkflowSchemaTests.Errors(source));
    }

    [Fact]
    public void Load_EmptyQuietHours_MeansNone()
    {
        var source = Workflow("  done:\n    end: completed", extra: "calendar: { quietHours: \"\", holidays: none, timeZone: UTC }\n");

        var calendar = Valid(Load(source)).Calendar;

        Assert.Equal(calendar.QuietStart, calendar.QuietEnd);
        Assert.False(calendar.SkipHolidays);
        Assert.Equal(TimeSpan.Zero, calendar.TimeZone.BaseUtcOffset);
    }

    [Fact]
    public void Load_Always_KeepsSourceAndHashesItIntoVersion()
    {
        var source = Workflow("  done:\n    end: completed");

        var definition = Valid(Load(source));

        Assert.Equal(source, definition.Source);
        Assert.Matches("^[0-9a-f]{16}$", definition.Version);
        Assert.Equal(WorkflowLoader.VersionOf(source), definition.Version);
    }

    [Fact]
    public void Load_SameTextTwice_GivesSameVersion()
    {
        var source = Workflow("  done:\n    end: completed");

        Assert.Equal(Valid(Load(source)).Version, Valid(Load(source)).Version);
    }

    [Fact]
    public void Load_CommentAdded_ChangesVersion()
    {
        var source = Workflow("  done:\n    end: completed");

        Assert.NotEqual(Valid(Load(source)).Version, Valid(Load(source + "\n# edited")).Version);
    }

    [Fact]
    public void VersionOf_KnownText_IsFirst16HexOfSha256()
    {
        // sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
        Assert.Equal("ba7816bf8f01cfea", WorkflowLoader.VersionOf("abc"));
    }

    [Fact]
    public void LoadedWithItsFolder_KeepsItsFormsAndMessagesTexts_AndAnEditedMessageIsANewVersion()
    {
        var folder = Directory.CreateTempSubdirectory("askel-pinned-texts-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(Fixtures("workflows"), "*.yaml", SearchOption.AllDirectories))
            {
                var copy = Path.Combine(folder, Path.GetRelativePath(Fixtures("workflows"), file));
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(file, copy);
            }

            WorkflowDefinition Loaded() => Valid(WorkflowLoader.LoadFile(Path.Combine(folder, "exit-chase.yaml"), new WorkflowFolderResources(folder)));
            var first = Loaded();
            Assert.Equal(
                first.Forms.Select(WorkflowDefinition.FormKey).Concat(first.Messages.Select(WorkflowDefinition.MessageKey)).Order(StringComparer.Ordinal),
                first.Resources.Keys.Order(StringComparer.Ordinal));
            Assert.All(first.Resources, resource => Assert.Equal(File.ReadAllText(Path.Combine(folder, resource.Key)), resource.Value));
            Assert.NotEqual(WorkflowLoader.VersionOf(first.Source), first.Version);

            var message = WorkflowDefinition.MessageKey(first.Messages.First());
            File.AppendAllText(Path.Combine(folder, message), "\n# edited\n");
            var second = Loaded();

            Assert.Equal(first.Source, second.Source);
            Assert.NotEqual(first.Version, second.Version);
            Assert.EndsWith("# edited\n", second.Resources[message], StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void LoadPinned_MissingFormFiles_StillLoads()
    {
        var folder = Fixtures("workflows");
        var source = File.ReadAllText(Path.Combine(folder, "exit-chase.yaml"));

        var definition = Valid(WorkflowLoader.LoadPinned(source, "workflows/exit-chase.yaml"));

        Assert.Equal(WorkflowLoader.VersionOf(source), definition.Version);
        Assert.Equal(9, definition.Steps.Count);
    }

    [Fact]
    public void Load_TitleMissingDeclaredLanguage_IsOnlyAWarning()
    {
        var source = Workflow("  done:\n    end: completed", languages: "[fi, en, sv]");

        var result = Load(source);

        Assert.True(result.Succeeded);
        var warning = Assert.Single(result.Errors);
        Assert.Equal(DefinitionSeverity.Warning, warning.Severity);
        Assert.Contains("sv", warning.Message, StringComparison.Ordinal);
        AssertAt(warning, 2, 8);
        Assert.StartsWith("workflows/test.yaml:2:8: warning: ", warning.ToString(), StringComparison.Ordinal);
    }
}
