using System.Globalization;
using System.Text.Json.Nodes;
using Askel.Runtime.Definitions;
using Askel.Runtime.Effects;
using Askel.Runtime.Expressions;

namespace Askel.Runtime.Engine;

/// <summary>
/// The workflow interpreter: given an instance's state, its pinned definition, one trigger and the
/// time, it changes the state and says what to record and what to send. Pure — no I/O, no clock —
/// so the same code runs in the engine, in tests and in <c>simulate</c>.
/// </summary>
public static class Interpreter
{
    /// <summary>Steps one transition may pass through before the workflow is judged to loop.</summary>
    public const int MaxStepsPerTransition = 25;

    /// <summary>How many recent event ids an instance remembers to drop redeliveries.</summary>
    public const int RecentEventCapacity = 64;

    // Definitions are few and immutable, so each expression text is parsed once per process, not per transition.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Expression> ParsedExpressions = new(StringComparer.Ordinal);

    /// <summary>Applies <paramref name="trigger"/> to <paramref name="state"/> (changed in place) at <paramref name="now"/>.</summary>
    public static TransitionResult Apply(InstanceState state, WorkflowDefinition definition, Trigger trigger, DateTimeOffset now) =>
        new Run(state, definition, now).Apply(trigger);

    private sealed class Run(InstanceState state, WorkflowDefinition definition, DateTimeOffset now)
    {
        private readonly List<HistoryEntry> _history = [];
        private readonly List<Effect> _effects = [];
        private readonly List<WorkflowFact> _facts = [];
        private int _stepsTaken;

        private TimeZoneInfo Zone => definition.Calendar.TimeZone;

        public TransitionResult Apply(Trigger trigger)
        {
            string? rejection = null;
            try
            {
                switch (trigger)
                {
                    case StartTrigger start:
                        state.Data = (JsonObject)start.Input.DeepClone();
                        Record("started", null, $"workflow {definition.Name} version {definition.Version}");
                        Enter(definition.Start);
                        break;
                    case TerminateTrigger terminate when !state.IsFinished:
                        state.Status = InstanceStatus.Terminated;
                        state.Error = terminate.Reason;
                        state.Timers.Clear();
                        state.Awaiting = null;
                        Record("terminated", state.Step, terminate.Reason);
                        break;
                    case TimerTrigger timer when !state.IsFinished && state.Timers.Find(t => t.Id == timer.TimerId) is { } due:
                        state.Timers.Remove(due);
                        OnTimer(due);
                        break;
                    case EventTrigger e when !state.IsFinished && !state.RecentEventIds.Contains(e.EventId):
                        var stepBefore = state.Step;
                        rejection = OnEvent(e);
                        if (rejection is null)
                        {
                            // First: the leaving date comes before what the steps it led to ask (an exit form).
                            if (e.Name == WorkflowFact.LeftEvent && WorkflowFact.LeftOnOf(e.Payload) is { } leftOn)
                            {
                                _facts.Insert(0, new WorkflowFact(state.Id, FactKind.Left, stepBefore, LeftOn: leftOn));
                            }

                            state.RecentEventIds.Add(e.EventId);
                            if (state.RecentEventIds.Count > RecentEventCapacity)
                            {
                                state.RecentEventIds.RemoveAt(0);
                            }
                        }

                        break;
                    default:
                        return TransitionResult.Nothing; // finished, a stale timer, or a redelivered event
                }
            }
            catch (ExpressionEvaluationException e)
            {
                Fail($"step '{state.Step}': {e.Message}");
            }
            catch (WorkflowLoopException e)
            {
                Fail(e.Message);
            }

            if (rejection is not null)
            {
                return TransitionResult.Rejected(rejection);
            }

            state.UpdatedAt = now;
            return new TransitionResult(_history, _effects, _facts, Changed: true, Rejection: null);
        }

        private void OnTimer(DurableTimer timer)
        {
            var step = definition.Step(state.Step!);
            switch (timer.Kind)
            {
                case "attempt":
                    ScheduleAttempts(step as ChasedStep ?? throw Unexpected(step));
                    break;
                case "expire":
                    Record("expired", step.Id, "no answer before the link expired");
                    Enter(step is ChasedStep chased ? chased.OnExpired : throw Unexpected(step));
                    break;
                case "wait":
                    Enter(((WaitStep)step).Next);
                    break;
                case "timeout":
                    Record("timed-out", step.Id, $"no {((WaitForEventStep)step).Event} in time");
                    Enter(((WaitForEventStep)step).OnTimeout!);
                    break;
                case "escalate":
                    var task = (TaskStep)step;
                    var escalation = task.Escalations[state.Attempt];
                    state.Attempt++;
                    var to = escalation.To == EscalationTarget.Coordinator ? "coordinator" : "managers";
                    var reminder = TaskPayload(task);
                    reminder["to"] = to;
                    reminder["reminder"] = state.Attempt;
                    _effects.Add(new Effect(NewEffectId($"e{state.Attempt}"), state.Id, "escalation", reminder));
                    Record("escalated", step.Id, $"the overdue task was escalated to the {to} (reminder {state.Attempt} of {task.Escalations.Count})");
                    ScheduleEscalation(task);
                    break;
                case "check-in":
                    var checkIn = ((WaitForEventStep)step).CheckIn!;
                    state.Attempt++;
                    SendMessage(checkIn.Message, null, $"c{state.Attempt}", new JsonObject());
                    AddTimer("check-in", definition.Calendar.NextAllowed(checkIn.Every.AddTo(timer.Due, Zone)));
                    break;
                default:
                    throw Unexpected(step);
            }
        }

        private string? OnEvent(EventTrigger e)
        {
            if (e.Name == "delivery-failed")
            {
                OnDeliveryFailed(e.Payload as JsonObject ?? []);
                return null;
            }

            if (e.Name == "contact-attempt")
            {
                OnContactAttempt(e.Payload as JsonObject ?? []);
                return null;
            }

            if (e.Name == "language")
            {
                state.Data["language"] = e.Payload?["language"]?.DeepClone();
                Record("language", state.Step, $"messages from now on in {state.Data["language"]}");
                return null;
            }

            if (e.Name.StartsWith("channel:", StringComparison.Ordinal))
            {
                var channel = e.Name["channel:".Length..];
                Section("channels")[channel] = e.Payload?["state"]?.DeepClone() ?? "ok";
                Record("channel", state.Step, $"{channel} is {Section("channels")[channel]}");
                return null;
            }

            var step = state.Step is null ? null : definition.Step(state.Step);
            switch (step)
            {
                case AskStep ask when e.Name == $"form:{ask.Form}":
                    RecordForm(ask.Form, e.Payload);
                    Enter(ask.Next);
                    return null;
                case ExternalStep external when e.Name == $"confirm:{external.Name}":
                    Section("external")[external.Name] = Stamp(e.Payload, "confirmedAt");
                    Record("confirmed", step.Id, $"{external.Name} confirmed");
                    Enter(external.Next);
                    return null;
                case TaskStep task when e.Name == $"task:{task.Id}":
                    var outcome = e.Payload?["outcome"]?.GetValue<string>();
                    if (outcome is null || !task.Outcomes.TryGetValue(outcome, out var target))
                    {
                        return $"'{outcome}' is not an outcome of task '{task.Id}': use one of {string.Join(", ", task.Outcomes.Keys)}.";
                    }

                    Section("tasks")[task.Id] = Stamp(e.Payload, "completedAt");
                    Record("task-done", task.Id, outcome);
                    Enter(target);
                    return null;
                case WaitForEventStep wait when e.Name == wait.Event:
                    Section("events")[e.Name] = Stamp(e.Payload, "receivedAt");
                    Record("event", step.Id, e.Name);
                    Enter(wait.Next);
                    return null;
            }

            // Not awaited now: keep it. A form that arrives late still counts; an event waits in the inbox.
            if (e.Name.StartsWith("form:", StringComparison.Ordinal))
            {
                RecordForm(e.Name["form:".Length..], e.Payload);
            }
            else
            {
                Section("events")[e.Name] = Stamp(e.Payload, "receivedAt");
                state.Inbox.Add(e.Name);
                Record("event", state.Step, $"{e.Name} received and kept until a step waits for it");
            }

            return null;
        }

        /// <summary>
        /// A contact made outside Askel. A chasing step that counts such contacts (<c>countsContactAttempts</c>) skips its
        /// next reminder, as a coordinator who just called does not want an SMS to follow; a wrong number is told
        /// separately, as the SMS channel's state.
        /// </summary>
        private void OnContactAttempt(JsonObject attempt)
        {
            var kind = attempt["kind"]?.GetValue<string>() ?? "";
            var outcome = attempt["outcome"]?.GetValue<string>() ?? "";
            var (counts, attempts) = (state.Step is null ? null : definition.Step(state.Step)) is ChasedStep chased
                ? (chased.CountsContactAttempts, chased.Attempts.Count)
                : (false, 0);
            if (counts && outcome != "wrong-number" && state.Attempt < attempts)
            {
                state.Attempt++;
                Record("contact-attempt", state.Step, $"{kind}: {outcome} (counted as attempt {state.Attempt} of {attempts})");
                return;
            }

            Record("contact-attempt", state.Step, $"{kind}: {outcome}");
        }

        private void OnDeliveryFailed(JsonObject failure)
        {
            var channel = failure["channel"]?.GetValue<string>() ?? "";
            var effectId = failure["effectId"]?.GetValue<string>() ?? "";
            var permanent = failure["permanent"]?.GetValue<bool>() ?? false;
            Section("channels")[channel] = permanent ? "invalid" : "failing";
            Record("delivery-failed", state.Step, $"{channel}: {failure["reason"]?.GetValue<string>() ?? "failed"}");

            // Only a message of the step the instance is still in is worth sending again, through the next channel.
            if (!EffectId.TryParse(effectId, out var failed) || failed != IdOf(failed.Tag) || failure["message"] is not JsonObject original ||
                original["template"]?.GetValue<string>() is not { } template)
            {
                return;
            }

            var extras = (JsonObject)original.DeepClone();
            foreach (var own in new[] { "template", "channel", "language", "step", "workflow", "version" })
            {
                extras.Remove(own);
            }

            SendMessage(template, null, $"{failed.Tag}-{channel}-fallback", extras);
        }

        private void Enter(string stepId)
        {
            while (true)
            {
                if (++_stepsTaken > MaxStepsPerTransition)
                {
                    throw new WorkflowLoopException($"the workflow passed {MaxStepsPerTransition} steps without waiting (last: '{stepId}'): check the choose conditions and next steps around it.");
                }

                var step = definition.Step(stepId);
                ForgiveFailingChannels();
                state.Step = step.Id;
                state.StepEntry++;
                state.StepEnteredAt = now;
                state.Attempt = 0;
                state.Awaiting = null;
                state.Timers.Clear();
                state.Status = InstanceStatus.Waiting;
                Record("entered", step.Id, KindOf(step));

                string? next = null;
                switch (step)
                {
                    case SendStep send:
                        SendMessage(send.Message, send.Via, "send", new JsonObject(), send.Optional);
                        next = send.Next;
                        break;
                    case WaitStep wait:
                        var due = wait.For is { } span ? span.AddTo(now, Zone) : Parsed(wait.Until!).EvaluateTime(state.Data, now, Zone);
                        if (due <= now)
                        {
                            next = wait.Next;
                        }
                        else
                        {
                            AddTimer("wait", due);
                        }

                        break;
                    case WaitForEventStep waitFor:
                        state.Awaiting = waitFor.Event;
                        if (state.Inbox.Remove(waitFor.Event))
                        {
                            Record("event", step.Id, $"{waitFor.Event} had already arrived");
                            next = waitFor.Next;
                            break;
                        }

                        DateTimeOffset? giveUp = waitFor.Timeout?.AddTo(now, Zone);
                        if (waitFor.Deadline is { } deadline)
                        {
                            var at = Parsed(deadline).EvaluateTime(state.Data, now, Zone);
                            giveUp = giveUp is { } t && t < at ? t : at;
                        }

                        if (giveUp <= now)
                        {
                            Record("timed-out", step.Id, $"no {waitFor.Event} before the deadline");
                            next = waitFor.OnTimeout;
                            break;
                        }

                        if (giveUp is { } due2)
                        {
                            AddTimer("timeout", due2);
                        }

                        if (waitFor.CheckIn is { } checkIn)
                        {
                            AddTimer("check-in", definition.Calendar.NextAllowed(checkIn.Every.AddTo(now, Zone)));
                        }

                        break;
                    case AskStep ask:
                        state.Awaiting = $"form:{ask.Form}";
                        _facts.Add(new WorkflowFact(state.Id, FactKind.FormAsked, ask.Id, Form: ask.Form));
                        AddTimer("expire", ask.Expires.AddTo(now, Zone));
                        ScheduleAttempts(ask);
                        break;
                    case ExternalStep external:
                        state.Awaiting = $"confirm:{external.Name}";
                        _facts.Add(new WorkflowFact(state.Id, FactKind.FormAsked, external.Id, Reports: external.Reports));
                        AddTimer("expire", external.Expires.AddTo(now, Zone));
                        ScheduleAttempts(external);
                        break;
                    case TaskStep task:
                        state.Awaiting = $"task:{task.Id}";
                        var opened = TaskPayload(task);
                        opened["outcomes"] = new JsonArray(task.Outcomes.Keys.Select(k => (JsonNode?)k).ToArray());
                        opened["outcomeTitles"] = new JsonObject(task.OutcomeTitles.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)Texts(t.Value))));
                        opened["openedAt"] = now.ToString("o", CultureInfo.InvariantCulture);
                        _effects.Add(new Effect(NewEffectId("task"), state.Id, "task", Reporting(task, opened)));
                        Record("task", task.Id, "a coordinator task was opened");
                        ScheduleEscalation(task);
                        break;
                    case ChooseStep choose:
                        next = choose.Branches.FirstOrDefault(b => Parsed(b.When).EvaluateCondition(state.Data, now, Zone))?.Next ?? choose.Otherwise;
                        break;
                    case EndStep end:
                        state.Status = InstanceStatus.Completed;
                        state.Outcome = end.Outcome;
                        Record("completed", end.Id, end.Outcome);
                        break;
                }

                if (next is null)
                {
                    return;
                }

                stepId = next;
            }
        }

        /// <summary>The effect's payload, with the form the step reports for the summary when it declares one.</summary>
        private static JsonObject Reporting(Step step, JsonObject payload)
        {
            if (step.Reports is { } form)
            {
                payload["reports"] = form.Name();
            }

            return payload;
        }

        /// <summary>A task's step, title and due time (when it has one), as its effects carry them.</summary>
        private JsonObject TaskPayload(TaskStep task)
        {
            var payload = new JsonObject
            {
                ["step"] = task.Id,
                ["title"] = Texts(task.Title),
            };
            if (task.Due is { } due)
            {
                payload["due"] = due.AddTo(state.StepEnteredAt, Zone).ToString("o", CultureInfo.InvariantCulture);
            }

            return payload;
        }

        private static JsonObject Texts(LocalizedText text) => new(text.Texts.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value)));

        /// <summary>Sets a timer for the task's next reminder, if it has one left; reminders keep to the calendar's working hours.</summary>
        private void ScheduleEscalation(TaskStep task)
        {
            if (task.Due is { } due && state.Attempt < task.Escalations.Count)
            {
                var dueAt = due.AddTo(state.StepEnteredAt, Zone);
                AddTimer("escalate", definition.Calendar.NextAllowed(task.Escalations[state.Attempt].After.AddTo(dueAt, Zone)));
            }
        }

        /// <summary>Sends every attempt that is due by now, then sets a timer for the next one.</summary>
        private void ScheduleAttempts(ChasedStep step)
        {
            var expiresAt = step.Expires.AddTo(state.StepEnteredAt, Zone).ToString("o", CultureInfo.InvariantCulture);
            var extras = step switch
            {
                AskStep ask => new JsonObject { ["form"] = ask.Form, ["expiresAt"] = expiresAt },
                ExternalStep ext => Reporting(ext, new JsonObject { ["external"] = ext.Name, ["url"] = ext.Url.ToString(), ["expiresAt"] = expiresAt }),
                _ => throw Unexpected(step),
            };
            while (state.Attempt < step.Attempts.Count)
            {
                var attempt = step.Attempts[state.Attempt];
                var due = definition.Calendar.NextAllowed(attempt.After.AddTo(state.StepEnteredAt, Zone));
                if (due > now)
                {
                    AddTimer("attempt", due);
                    return;
                }

                state.Attempt++;
                extras["attempt"] = state.Attempt;
                SendMessage(step.Message, attempt.Via, $"a{state.Attempt}", extras);
            }
        }

        private void SendMessage(string template, string? via, string tag, JsonObject extras, bool optional = false)
        {
            var channel = UsableChannel(via);
            if (channel is null)
            {
                Record(optional ? "skipped" : "unreachable", state.Step, $"{template}: no usable channel");
                return;
            }

            var payload = (JsonObject)extras.DeepClone();
            payload["template"] = template;
            payload["channel"] = channel;
            payload["language"] = Language();
            payload["step"] = state.Step;
            // The version's pinned texts are the ones to send (an edited message reaches only instances started after it).
            payload["workflow"] = definition.Name;
            payload["version"] = definition.Version;
            _effects.Add(new Effect(NewEffectId(tag), state.Id, "message", payload));
            Record("message", state.Step, $"{template} via {channel} ({tag})");
        }

        /// <summary>A channel that failed for a while (a provider outage) is tried again from the next step on; an invalid or opted-out one is not.</summary>
        private void ForgiveFailingChannels()
        {
            if (state.Data["channels"] is JsonObject channels)
            {
                foreach (var name in channels.Where(c => c.Value is JsonValue v && v.TryGetValue<string>(out var text) && text == "failing").Select(c => c.Key).ToList())
                {
                    channels[name] = "ok";
                }
            }
        }

        private string? UsableChannel(string? preferred)
        {
            // A channel with no recorded state is assumed usable; "missing", "invalid", "failing", "opted-out" are not.
            var channels = state.Data["channels"] as JsonObject;
            return definition.ChannelFor(preferred, c => channels?[c] is not JsonValue state || (state.TryGetValue<string>(out var value) && value == "ok"));
        }

        private string Language()
        {
            var language = state.Data["language"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
            return language is not null && definition.Languages.Contains(language) ? language : definition.Languages[0];
        }

        private void RecordForm(string form, JsonNode? payload)
        {
            Section("forms")[form] = Stamp(payload, "completedAt");
            Record("form", state.Step, $"{form} received");
        }

        private JsonObject Stamp(JsonNode? payload, string timeField)
        {
            var record = payload is JsonObject o ? (JsonObject)o.DeepClone() : [];
            record[timeField] = now.ToString("o", CultureInfo.InvariantCulture);
            return record;
        }

        private JsonObject Section(string name)
        {
            if (state.Data[name] is not JsonObject section)
            {
                section = [];
                state.Data[name] = section;
            }

            return section;
        }

        private void AddTimer(string kind, DateTimeOffset due) =>
            state.Timers.Add(new DurableTimer($"{state.StepEntry}.{kind}{(kind is "attempt" or "check-in" or "escalate" ? state.Attempt + 1 : "")}", due, kind));

        private string NewEffectId(string tag) => IdOf(tag).ToString();

        // The id of this step entry's effect with the tag.
        private EffectId IdOf(string tag) => new(state.Id, state.StepEntry.ToString(CultureInfo.InvariantCulture), tag);

        private void Fail(string reason)
        {
            state.Status = InstanceStatus.Failed;
            state.Error = reason;
            state.Timers.Clear();
            state.Awaiting = null;
            Record("failed", state.Step, reason);
        }

        private void Record(string kind, string? step, string detail) =>
            _history.Add(new HistoryEntry(state.HistoryNext++, now, kind, step, detail));

        private static string KindOf(Step step) => step switch
        {
            SendStep => "send",
            WaitStep => "wait",
            WaitForEventStep => "waitFor",
            AskStep => "ask",
            ExternalStep => "external",
            TaskStep => "task",
            ChooseStep => "choose",
            EndStep => "end",
            _ => "step",
        };

        private static InvalidOperationException Unexpected(Step step) => new($"Step '{step.Id}' cannot take this timer.");
    }

    private static Expression Parsed(string text) => ParsedExpressions.GetOrAdd(text, Expression.Parse);

    private sealed class WorkflowLoopException(string message) : Exception(message);
}
