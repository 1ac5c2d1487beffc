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
/// The diagram is laid out once per workflow version and language.
/// </summary>
public sealed class WorkflowOverviews(FormCatalog forms, MessageTemplates messages)
{
    private readonly ConcurrentDictionary<(string Version, string Language), Diagram> _diagrams = new();

    /// <summary>The page's model for <paramref name="workflow"/>, in <paramref name="language"/>, with its texts in <paramref name="textLanguage"/>.</summary>
    public WorkflowView View(WorkflowDefinition workflow, string language, string textLanguage, IReadOnlyList<string> projects)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var steps = Steps(workflow, language);
        var diagram = _diagrams.GetOrAdd((workflow.Version, language), _ => WorkflowDiagram.Layout(steps, workflow.Start));
        return new WorkflowView(
            workflow.Name, workflow.Version, workflow.Title.For(language), workflow.Languages, textLanguage, diagram, steps,
            [.. workflow.Forms.Select(f => Form(f, textLanguage))], [.. workflow.Messages.Select(m => Message(workflow, m, textLanguage))], projects);
    }

    /// <summary>Every step in words, in file order.</summary>
    public IReadOnlyList<StepView> Steps(WorkflowDefinition workflow, string language)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var words = new ConditionWords(language, workflow, forms);
        string T(string key, params (string Name, string? Value)[] values) => CoordinatorTexts.Get(key, language, values);
        string Title(string id) => workflow.Steps[id] switch
        {
            { Label: { } label } => label.For(language),
            TaskStep task => task.Title.For(language),
            _ => id,
        };
        StepWay Way(string when, string to) => new(when, to, Title(to));
        string FromStart(IsoDuration d) => d.IsZero ? T("wf-at-once") : T("wf-from-start", ("d", words.Duration(d)));
        string Channel(string? via) => T(via is null ? "wf-channel-first" : $"wf-channel-{via}");
        string Sends(IReadOnlyList<Attempt> attempts) => string.Join("; ", attempts.Select(a => T("wf-send", ("when", FromStart(a.After)), ("channel", Channel(a.Via)))));

        return [.. workflow.Steps.Values.Select(step => step switch
        {
            AskStep ask => new StepView(
                step.Id, Title(step.Id), T("wf-kind-ask", ("n", ask.Attempts.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                [
                    new(T("wf-fact-form"), forms.Find(ask.Form)?.Title.For(language) ?? ask.Form, $"form-{ask.Form}"),
                    new(T("wf-fact-message"), ask.Message, $"message-{ask.Message}"),
                    new(T("wf-fact-sends"), Sends(ask.Attempts)),
                    new(T("wf-fact-expires"), FromStart(ask.Expires)),
                    .. ask.CountsContactAttempts ? [new StepFact(T("wf-fact-contacts"), T("wf-contacts-count"))] : Array.Empty<StepFact>(),
                ],
                [Way(T("wf-way-answered"), ask.Next), Way(T("wf-way-not-answered"), ask.OnExpired)]),
            ExternalStep external => new StepView(
                step.Id, Title(step.Id), T("wf-kind-external", ("n", external.Attempts.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                [
                    new(T("wf-fact-external"), $"{external.Name} ({external.Url})"),
                    new(T("wf-fact-message"), external.Message, $"message-{external.Message}"),
                    new(T("wf-fact-sends"), Sends(external.Attempts)),
                    new(T("wf-fact-expires"), FromStart(external.Expires)),
                    .. external.CountsContactAttempts ? [new StepFact(T("wf-fact-contacts"), T("wf-contacts-count"))] : Array.Empty<StepFact>(),
                ],
                [Way(T("wf-way-confirmed"), external.Next), Way(T("wf-way-not-confirmed"), external.OnExpired)]),
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

        List<SmsParts> parts = texts.Sms is { } sms && workflow.Channels.Contains("sms") ? [.. workflow.Languages.Select(l => Counted(sms, l))] : [];
        return new MessageView(name, texts.Sms?.For(language).Trim(), texts.Subject?.For(language).Trim(), texts.Text?.For(language).Trim(), parts);
    }
}
