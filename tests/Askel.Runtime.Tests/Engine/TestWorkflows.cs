using Askel.Runtime.Calendar;
using Askel.Runtime.Definitions;

namespace Askel.Runtime.Tests.Engine;

/// <summary>Definitions built in code for engine tests (the YAML loader has its own tests).</summary>
internal static class TestWorkflows
{
    private static readonly SourceLocation Here = new("test.yaml", 1, 1);

    /// <summary>Asks a form with the given attempts; on expiry a task with two outcomes; both end.</summary>
    public static WorkflowDefinition FormChase(string name = "chase", string version = "v1", CalendarPolicy? calendar = null, params string[] attempts)
    {
        attempts = attempts.Length == 0 ? ["P0D via sms", "P3D via email", "P7D via sms", "P14D via email"] : attempts;
        return Build(name, version, calendar,
            new AskStep("exit", Here, "exit-form", "exit-form-link", attempts.Select(Attempt).ToArray(), IsoDuration.Parse("P21D"), "reach", "done"),
            new TaskStep("reach", Here, new LocalizedText(new Dictionary<string, string> { ["fi"] = "Tavoita", ["en"] = "Reach" }),
                new Dictionary<string, string> { ["filled-together"] = "done", ["unreachable"] = "lost" }),
            new EndStep("done", Here, "collected"),
            new EndStep("lost", Here, "not-collected"));
    }

    /// <summary>Waits for a duration, sends one message, ends.</summary>
    public static WorkflowDefinition Wait(string duration, string name = "waiter", string version = "v1") =>
        Build(name, version, null,
            new WaitStep("pause", Here, IsoDuration.Parse(duration), null, "hello"),
            new SendStep("hello", Here, "hello", null, false, "done"),
            new EndStep("done", Here, "done"));

    /// <summary>Waits for an event, then ends.</summary>
    public static WorkflowDefinition WaitForEvent(string name = "listener", string version = "v1") =>
        Build(name, version, null,
            new WaitForEventStep("listen", Here, "participant-left", null, null, null, "done"),
            new EndStep("done", Here, "left"));

    public static WorkflowDefinition Build(string name, string version, CalendarPolicy? calendar, params Step[] steps) =>
        new(name, version, new LocalizedText(new Dictionary<string, string> { ["en"] = name }), ["fi", "en"],
            calendar ?? NoQuietHours, ["sms", "email"], steps[0].Id, steps.ToDictionary(s => s.Id), $"workflow: {name} # {version}");

    /// <summary>UTC, no quiet hours, no holidays: schedules land exactly on their offsets.</summary>
    public static CalendarPolicy NoQuietHours { get; } = new(TimeZoneInfo.Utc, new TimeOnly(0, 0), new TimeOnly(0, 0), SkipHolidays: false);

    private static Attempt Attempt(string text)
    {
        var parts = text.Split(" via ");
        return new Attempt(IsoDuration.Parse(parts[0]), parts.Length > 1 ? parts[1] : null);
    }
}
