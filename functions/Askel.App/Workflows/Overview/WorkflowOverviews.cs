using System.Collections.Concurrent;
using Askel.App.Coordinator;
using Askel.App.Coordinator.Components;
using Askel.App.Forms;
using Askel.App.Messaging;
using Askel.Runtime.Calendar;
using Askel.Runtime.Definitions;

namespace Askel.App.Workflows.Overview;

/// <summary>
/// A workflow as its page shows it: every step in words (what it sends and when, how long it waits, where it goes and when),
/// its diagram, and the forms and message texts it uses in one of its languages with the SMS parts of each text.
/// The steps in words and the diagram are worked out once per workflow version and language.
/// </summary>
public sealed class WorkflowOverviews(FormCatalog forms, MessageTemplates messages)
{
    // Once per version and language (Lazy: two first requests at once work it out once).
    private readonly ConcurrentDictionary<(string Version, string Language), Lazy<(IReadOnlyList<StepView> Steps, Diagram Diagram)>> _drawn = new();

    /// <summary>The page's model for <paramref name="workflow"/>, in <paramref name="language"/>, with its texts in <paramref name="textLanguage"/>.</summary>
    public WorkflowView View(WorkflowDefinition workflow, string language, string textLanguage, IReadOnlyList<string> projects)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var (steps, diagram) = _drawn.GetOrAdd((workflow.Version, language), _ => new(() =>
        {
            IReadOnlyList<StepView> inWords = Steps(workflow, language);
            return (inWords, WorkflowDiagram.Layout(inWords, workflow.Start));
        })).Value;
        return new WorkflowView(
            workflow.Name, workflow.Version, workflow.Title.For(language), steps.First(s => s.Id == workflow.Start).Title, workflow.Languages, textLanguage,
            diagram, steps, [.. workflow.Forms.Select(f => Form(f, textLanguage))], [.. workflow.Messages.Select(m => Message(workflow, m, textLanguage))], projects);
    }

    /// <summary>Every step in words, in file order.</summary>
    private List<StepView> Steps(WorkflowDefinition workflow, string language)
    {
        var words = new ConditionWords(language, workflow, forms);
        string T(string key, params (string Name, string? Value)[] values) => CoordinatorTexts.Get(key, language, values);
        string Named(Step step) => step switch
        {
            { Label: { } label } => label.For(language),
            TaskStep task => task.Title.For(language),
            _ => step.Id,
        };

        // Two steps with the same title (the entry form sent, or shown in a meeting) are told apart by their ids.
        var twice = workflow.Steps.Values.GroupBy(Named).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        string Title(string id) => Named(workflow.Steps[id]) is var title && twice.Contains(title) ? $"{title} ({id})" : title;
        StepWay Way(string when, string to) => new(when, to, Title(to));
        string FromStart(IsoDuration d) => d.IsZero ? T("wf-at-once") : T("wf-from-start", ("d", words.Duration(d)));
        string Channel(string? via) => T(via is null ? "wf-channel-first" : $"wf-channel-{via}");
        string Sends(IReadOnlyList<Attempt> attempts) => string.Join("; ", attempts.Select(a => T("wf-send", ("when", FromStart(a.After)), ("channel", Channel(a.Via)))));
        string Count(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // An ask and an external step chase the same way; they differ in what is chased and what ends the chase.
        StepView Chased(ChasedStep step, string kind, StepFact chased, string done, string expired) => new(
            step.Id, Title(step.Id), T(step.Attempts.Count == 1 ? kind + "-1" : kind, ("n", Count(step.Attempts.Count))),
            [
                chased,
                new(T("wf-fact-message"), step.Message, $"message-{step.Message}"),
                new(T("wf-fact-sends"), Sends(step.Attempts)),
                new(T("wf-fact-expires"), FromStart(step.Expires)),
                .. step.CountsContactAttempts ? [new StepFact(T("wf-fact-contacts"), T("wf-contacts-count"))] : Array.Empty<StepFact>(),
            ],
            [Way(T(done), step.Next), Way(T(expired), step.OnExpired)]);

        return [.. workflow.Steps.Values.Select(step => step switch
        {
            AskStep ask => Chased(
                ask, "wf-kind-ask", new(T("wf-fact-form"), forms.Find(ask.Form)?.Title.For(language) ?? ask.Form, $"form-{ask.Form}"), "wf-way-answered", "wf-way-not-answered"),
            ExternalStep external => Chased(
                external, "wf-kind-external", new(T("wf-fact-external"), $"{external.Name} ({external.Url})"), "wf-way-confirmed", "wf-way-not-confirmed"),
            SendStep send => new StepView(
                step.Id, Title(step.Id), T("wf-kind-send"),
                [new(T("wf-fact-message"), send.Message, $"message-{send.Message}"), new(T("wf-fact-channel"), Channel(send.Via))],
                [Way("", send.Next)]),
            WaitStep wait => new StepView(
                step.Id, Title(step.Id), T("wf-kind-wait"),
                [new(T("wf-fact-goes-on"), wait.For is { } span ? FromStart(span) : words.Moment(wait.Until!))],
                [Way("", wait.Next)]),
            WaitForEventStep waitFor => new StepView(
                step.Id, Title(step.Id), T("wf-kind-wait-for"),
                [
                    new(T("wf-fact-waits-for"), Event(waitFor.Event, "wf-event", language)),
                    .. waitFor.Timeout is { } timeout ? [new StepFact(T("wf-fact-timeout"), FromStart(timeout))] : Array.Empty<StepFact>(),
                    .. waitFor.Deadline is { } deadline ? [new StepFact(T("wf-fact-deadline"), words.Moment(deadline))] : Array.Empty<StepFact>(),
                    .. waitFor.CheckIn is { } checkIn ? [new StepFact(T("wf-fact-check-in"), T("wf-every", ("message", T("wf-message-name", ("name", checkIn.Message))), ("d", words.Duration(checkIn.Every))))] : Array.Empty<StepFact>(),
                ],
                [
                    Way(Event(waitFor.Event, "wf-way-event", language), waitFor.Next),
                    .. waitFor.OnTimeout is { } onTimeout ? [Way(waitFor.Deadline is { } at ? words.Moment(at) : T("wf-way-timeout"), onTimeout)] : Array.Empty<StepWay>(),
                ]),
            TaskStep task => new StepView(
                step.Id, Title(step.Id), T("wf-kind-task"),
                [
                    // The task's words, where the step's title does not already say them.
                    .. Title(step.Id) != task.Title.For(language) ? [new StepFact(T("wf-fact-task"), task.Title.For(language))] : Array.Empty<StepFact>(),
                    .. task.Reports is { } reports ? [new StepFact(T("wf-fact-reports"), T($"wf-report-{reports.Name()}"))] : Array.Empty<StepFact>(),
                    .. task.Due is { } due ? [new StepFact(T("wf-fact-due"), due.IsZero ? T("wf-at-once") : T("wf-from-open", ("d", words.Duration(due))))] : Array.Empty<StepFact>(),
                    .. task.Escalations.Count > 0
                        ? [new StepFact(T("wf-fact-escalate"), string.Join("; ", task.Escalations.Select(e => T("wf-send", ("when", e.After.IsZero ? T("wf-when-due") : T("wf-after-due", ("d", words.Duration(e.After)))), ("channel", T(e.To == EscalationTarget.Coordinator ? "wf-to-coordinator" : "wf-to-managers"))))))]
                        : Array.Empty<StepFact>(),
                ],
                [.. task.Outcomes.Select(o => Way(task.OutcomeTitles.TryGetValue(o.Key, out var title) ? title.For(language) : o.Key, o.Value))]),
            ChooseStep choose => new StepView(
                step.Id, Title(step.Id), T("wf-kind-choose"), [],
                [.. choose.Branches.Select(b => Way(T("wf-way-if", ("x", words.Condition(b.When))), b.Next)), Way(T("wf-way-otherwise"), choose.Otherwise)]),
            EndStep end => new StepView(step.Id, Title(step.Id), T("wf-kind-end"), [new(T("wf-fact-outcome"), end.Outcome)], []),
            _ => throw new InvalidOperationException($"A step of a kind the page does not know: {step.GetType().Name}."),
        })];
    }

    /// <summary>An event in words: leaving and consent by what happens, any other by its name.</summary>
    private static string Event(string name, string prefix, string language) => name is "left" or "consent"
        ? CoordinatorTexts.Get($"{prefix}-{name}", language)
        : CoordinatorTexts.Get(prefix, language, ("name", name));

    private FormView Form(string name, string language)
    {
        var form = forms.Find(name);
        return new FormView(name, form?.Title.For(language) ?? name, [.. form?.Questions.Select(q => q.Label.For(language)) ?? []]);
    }

    private MessageView Message(WorkflowDefinition workflow, string name, string language)
    {
        var texts = messages.Texts(name);
        SmsParts Counted(LocalizedText sms, string textLanguage)
        {
            var filled = SmsSample.Fill(sms.For(textLanguage), workflow);
            return new SmsParts(textLanguage, SmsSegments.Count(filled), filled.Length, SmsSegments.IsGsm7(filled));
        }

        // Only the channels the workflow sends on: validate checks those texts (in every language) and no other.
        var (sms, email) = (workflow.Channels.Contains("sms") ? texts.Sms : null, workflow.Channels.Contains("email") ? texts : null);
        List<SmsParts> parts = sms is null ? [] : [.. workflow.Languages.Select(l => Counted(sms, l))];
        return new MessageView(name, sms?.For(language).Trim(), email?.Subject?.For(language).Trim(), email?.Text?.For(language).Trim(), parts);
    }
}
