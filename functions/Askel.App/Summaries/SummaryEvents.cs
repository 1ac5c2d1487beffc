using System.Globalization;
using System.Text.Json.Nodes;
using Askel.App.Guidance;
using Askel.App.Participants;
using Askel.Runtime.Definitions;

namespace Askel.App.Summaries;

/// <summary>A fact about a participant that changes their project's summary.</summary>
public enum SummaryFact
{
    /// <summary>Enrolled: a start, and an entry form due.</summary>
    Enrolled,

    /// <summary>The entry form (or the EURA entry) was received: the output indicators.</summary>
    EntryReceived,

    /// <summary>Left the project: an exit, an exit form due now and a six-month form due in six months.</summary>
    Left,

    /// <summary>The exit form was received: the immediate results.</summary>
    ExitReceived,

    /// <summary>The six-month form was received: the longer-term results.</summary>
    SixMonthReceived,

    /// <summary>A coordinator closed the entry form's task without the form (e.g. not starting): no longer owed.</summary>
    EntryClosed,

    /// <summary>A coordinator closed the exit form's task without the form (moved away, unreachable).</summary>
    ExitClosed,

    /// <summary>A coordinator closed the six-month form's task without the form.</summary>
    SixMonthClosed,
}

/// <summary>A count added to one month of a project's summary (a month is <c>yyyy-MM</c> in Europe/Helsinki).</summary>
public readonly record struct MonthCount(string Month, string Key, long Delta);

/// <summary>A form a participant owes: due at <paramref name="DueAt"/>, overdue once its grace has passed.</summary>
public sealed record OutstandingForm(string Form, string ParticipantId, string Coordinator, DateTimeOffset DueAt);

/// <summary>
/// One change to a project's summary, with an id that makes applying it twice a no-op: counts added to
/// month rows, forms that became due, and forms no longer owed (received, or closed by a coordinator).
/// </summary>
public sealed record SummaryEvent(string Id, IReadOnlyList<MonthCount> Counts, IReadOnlyList<OutstandingForm> Due, IReadOnlyList<OutstandingForm> Settled);

/// <summary>
/// Turns a participant's stored facts into summary events. The live path (as things happen) and the rebuild
/// (from every participant row) call the same function, so a rebuilt summary equals the incremental one:
/// a count that needs two facts (a status change needs the entry and the exit form) is made by whichever of
/// the two arrived later, which is the same answer whenever it is asked.
/// </summary>
public static class SummaryEvents
{
    /// <summary>Forms a participant can owe.</summary>
    public const string EntryForm = "entry", ExitForm = "exit", SixMonthForm = "six-month";

    private static readonly TimeZoneInfo Helsinki = Askel.Runtime.Calendar.CalendarPolicy.Default.TimeZone; // the runtime's zone: Europe/Helsinki

    /// <summary>The month (<c>yyyy-MM</c>, Europe/Helsinki) of a moment.</summary>
    public static string MonthOf(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Helsinki).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>Every fact the participant's row holds, in the order they happen.</summary>
    public static IEnumerable<SummaryFact> FactsOf(Participant participant)
    {
        ArgumentNullException.ThrowIfNull(participant);
        yield return SummaryFact.Enrolled;
        if (participant.EntryReceivedAt is not null)
        {
            yield return SummaryFact.EntryReceived;
        }

        if (participant.LeftAt is not null)
        {
            yield return SummaryFact.Left;
        }

        if (participant.ExitReceivedAt is not null && participant.LeftAt is not null)
        {
            yield return SummaryFact.ExitReceived;
        }

        if (participant.SixMonthReceivedAt is not null && participant.LeftAt is not null)
        {
            yield return SummaryFact.SixMonthReceived;
        }

        var closed = ClosedForms(participant);
        foreach (var (form, fact) in new[] { (EntryForm, SummaryFact.EntryClosed), (ExitForm, SummaryFact.ExitClosed), (SixMonthForm, SummaryFact.SixMonthClosed) })
        {
            if (closed.Contains(form) && (form == EntryForm || participant.LeftAt is not null))
            {
                yield return fact;
            }
        }
    }

    /// <summary>The event of one fact, or null when the participant's row does not hold it (yet).</summary>
    public static SummaryEvent? Of(Participant participant, SummaryFact fact)
    {
        ArgumentNullException.ThrowIfNull(participant);
        var id = participant.Id;
        var coordinator = participant.EnrolledBy;
        var startMonth = MonthOf(participant.EnrolledAt);
        var counts = new List<MonthCount>();
        var reported = JsonNode.Parse(participant.Reported) as JsonObject ?? [];
        var entryOwed = new OutstandingForm(EntryForm, id, coordinator, participant.EnrolledAt);
        OutstandingForm? exitOwed = participant.LeftAt is { } leaving ? new(ExitForm, id, coordinator, leaving) : null;
        OutstandingForm? sixMonthOwed = participant.LeftAt is { } leaving6 ? new(SixMonthForm, id, coordinator, leaving6.AddMonths(6)) : null;
        switch (fact)
        {
            case SummaryFact.Enrolled:
                counts.Add(new(startMonth, SummaryKeys.Starts, 1));
                counts.Add(new(startMonth, SummaryKeys.StartsBy(coordinator), 1));
                return new($"{id}:enrolled", counts, [entryOwed], []);

            case SummaryFact.EntryReceived when participant.EntryReceivedAt is { } entryAt:
                counts.Add(new(startMonth, SummaryKeys.EntryReceived, 1));
                if (participant.StatusAtEntry is not null)
                {
                    var gender = Gender(reported);
                    foreach (var indicator in OutputIndicators(participant, reported))
                    {
                        counts.Add(new(startMonth, SummaryKeys.Output(indicator, gender), 1));
                    }
                }

                counts.AddRange(Later(participant, reported, entryAt, fact));
                return new($"{id}:entry", counts, [], [entryOwed]);

            case SummaryFact.Left when participant.LeftAt is { } leftAt:
                var leftMonth = MonthOf(leftAt);
                counts.Add(new(leftMonth, SummaryKeys.Exits, 1));
                counts.Add(new(leftMonth, SummaryKeys.ExitsBy(coordinator), 1));
                if (participant.AdviceOnly)
                {
                    counts.Add(new(leftMonth, SummaryKeys.AdviceOnlyExits, 1));
                }

                // Leaving closes their plan: the row holds its last version, which no save follows.
                if (participant is { PlanReviewAt: { } review, PlanSavedAt: { } saved, PlanCoordinator: { } planCoordinator })
                {
                    counts.AddRange(PlanEnded(Participant.ReviewDayOf(review), saved, planCoordinator, leftMonth));
                }

                return new($"{id}:left", counts, [exitOwed!, sixMonthOwed!], []);

            case SummaryFact.ExitReceived when participant is { ExitReceivedAt: { } exitAt, LeftAt: { } left }:
                var exitMonth = MonthOf(left);
                counts.Add(new(exitMonth, SummaryKeys.ExitReceived, 1));
                if (participant.StatusAtExit is { } status)
                {
                    counts.Add(new(exitMonth, SummaryKeys.ExitOutcome(status), 1));
                    if (participant.AdviceOnly)
                    {
                        counts.Add(new(exitMonth, SummaryKeys.AdviceOnlyExitOutcome(status), 1));
                    }
                }

                if (Text(reported, "exitEmployment") == "self-employed")
                {
                    counts.Add(new(exitMonth, SummaryKeys.ExitSelfEmployed, 1));
                }

                if (Text(reported, "exitQualification") == "yes")
                {
                    counts.Add(new(exitMonth, SummaryKeys.ExitQualification, 1));
                }

                if (Number(reported, "satisfaction") is { } satisfaction and >= 1 and <= 5)
                {
                    counts.Add(new(exitMonth, SummaryKeys.SatisfactionSum, satisfaction));
                    counts.Add(new(exitMonth, SummaryKeys.SatisfactionCount, 1));
                }

                counts.AddRange(Later(participant, reported, exitAt, fact));
                return new($"{id}:exit", counts, [], [exitOwed!]);

            case SummaryFact.SixMonthReceived when participant is { SixMonthReceivedAt: { } sixAt, LeftAt: { } leftBefore }:
                var cohort = MonthOf(leftBefore);
                counts.Add(new(cohort, SummaryKeys.SixMonthReceived, 1));
                if (participant.StatusAtSixMonths is { } sixStatus)
                {
                    counts.Add(new(cohort, SummaryKeys.SixMonthOutcome(sixStatus), 1));
                }

                if (Text(reported, "sixMonthEmployment") == "self-employed")
                {
                    counts.Add(new(cohort, SummaryKeys.SixMonthSelfEmployed, 1));
                }

                counts.AddRange(Later(participant, reported, sixAt, fact));
                return new($"{id}:six-month", counts, [], [sixMonthOwed!]);

            case SummaryFact.EntryClosed when ClosedForms(participant).Contains(EntryForm):
                // Not starting: no longer in the coordinator's caseload either.
                return new($"{id}:closed:{EntryForm}", [new(startMonth, SummaryKeys.Closed(EntryForm), 1), new(startMonth, SummaryKeys.NotStartedBy(coordinator), 1)], [], [entryOwed]);

            case SummaryFact.ExitClosed when exitOwed is not null && ClosedForms(participant).Contains(ExitForm):
                return new($"{id}:closed:{ExitForm}", [new(MonthOf(exitOwed.DueAt), SummaryKeys.Closed(ExitForm), 1)], [], [exitOwed]);

            case SummaryFact.SixMonthClosed when exitOwed is not null && sixMonthOwed is not null && ClosedForms(participant).Contains(SixMonthForm):
                return new($"{id}:closed:{SixMonthForm}", [new(MonthOf(exitOwed.DueAt), SummaryKeys.Closed(SixMonthForm), 1)], [], [sixMonthOwed]);

            default:
                return null;
        }
    }

    // The forms whose task a coordinator completed while the form had not arrived (moved away, unreachable, not
    // starting, or "answered by phone" without filling it in): no longer owed. A form's link expires when its task
    // opens, so a form does not arrive after its task; a coordinator's assisted form completes the task as received.
    private static HashSet<string> ClosedForms(Participant participant)
    {
        var closed = new HashSet<string>(StringComparer.Ordinal);
        if (JsonNode.Parse(participant.TaskOutcomes) is JsonObject tasks)
        {
            foreach (var (step, note) in tasks)
            {
                if (note?["form"] is JsonValue formValue && formValue.TryGetValue<string>(out var form)
                    && note["received"]?.GetValue<bool>() != true && (ReportedForms.Parse(form) is not { } reported || participant.ReceivedAt(reported) is null))
                {
                    closed.Add(form);
                }
            }
        }

        return closed;
    }

    /// <summary>The event of an anonymous guidance contact: counted in the month of its date.</summary>
    public static SummaryEvent Of(GuidanceContact contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        var month = contact.Date.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        return new($"guidance:{contact.Id}",
        [
            new(month, SummaryKeys.GuidanceContacts, 1),
            new(month, SummaryKeys.Guidance("channel", contact.Channel), 1),
            new(month, SummaryKeys.Guidance("topic", contact.Topic), 1),
            new(month, SummaryKeys.Guidance("language", contact.Language), 1),
            new(month, SummaryKeys.Guidance("age", contact.AgeGroup ?? "unknown"), 1),
            new(month, SummaryKeys.Guidance("gender", contact.Gender ?? "unknown"), 1),
        ], [], []);
    }

    /// <summary>The event of a one-tap satisfaction vote: counted in the month of its day, for the guidance or for the events.</summary>
    public static SummaryEvent Of(SatisfactionVote vote)
    {
        ArgumentNullException.ThrowIfNull(vote);
        var month = vote.Date.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var (sum, count) = vote.EventId is null
            ? (SummaryKeys.GuidanceSatisfactionSum, SummaryKeys.GuidanceSatisfactionCount)
            : (SummaryKeys.EventFeedbackSum, SummaryKeys.EventFeedbackCount);
        return new($"satisfaction:{vote.Id}", [new(month, sum, vote.Score), new(month, count, 1)], [], []);
    }

    /// <summary>
    /// The event of an employer saved as <paramref name="now"/> over what was saved <paramref name="before"/> (null: newly
    /// registered): the old counts taken back and the new ones added, each in the month its cooperation began, so the
    /// counts always equal those of the register as it stands (what a rebuild folds, with <paramref name="before"/> null).
    /// </summary>
    public static SummaryEvent Of(Cooperation.Employer now, Cooperation.Employer? before = null)
    {
        ArgumentNullException.ThrowIfNull(now);
        static IEnumerable<MonthCount> Counts(Cooperation.Employer employer, int sign)
        {
            var month = employer.Since.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            yield return new(month, SummaryKeys.Employers, sign);
            yield return new(month, SummaryKeys.Employer("size", employer.Size), sign);
            foreach (var type in employer.Cooperation)
            {
                yield return new(month, SummaryKeys.Employer("cooperation", type), sign);
            }
        }

        return new($"employer:{now.BusinessId}:{now.Version}", [.. Counts(now, 1), .. before is null ? [] : Counts(before, -1)], [], []);
    }

    /// <summary>The event of a cooperation event saved as <paramref name="now"/> over <paramref name="before"/> (null: new), as for an employer.</summary>
    public static SummaryEvent Of(Cooperation.CooperationEvent now, Cooperation.CooperationEvent? before = null)
    {
        ArgumentNullException.ThrowIfNull(now);
        static IEnumerable<MonthCount> Counts(Cooperation.CooperationEvent happened, int sign)
        {
            var month = happened.Date.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            yield return new(month, SummaryKeys.Events, sign);
            yield return new(month, SummaryKeys.EventKind(happened.Kind), sign);
            yield return new(month, SummaryKeys.EventAttendance, sign * happened.Attendance);
        }

        return new($"event:{now.Id}:{now.Version}", [.. Counts(now, 1), .. before is null ? [] : Counts(before, -1)], [], []);
    }

    /// <summary>
    /// The event of a participant's plan saved as <paramref name="now"/> over the version before it (null: their first plan).
    /// A version counts as open from the month it was saved, and as overdue from the month its review day falls in (or it
    /// was saved in, when later), until the month the next version or their leaving ends it; so each month's sum of the
    /// changes up to it is the plans open and overdue at its end, whatever the order of the saves.
    /// </summary>
    public static SummaryEvent Of(Plan now, Plan? before)
    {
        ArgumentNullException.ThrowIfNull(now);
        var month = MonthOf(now.SavedAt);
        var overdue = Later(Month(now.ReviewOn), month);
        List<MonthCount> counts =
        [
            .. PlanCounts(month, now.Version == 1 ? "new" : "reviewed", now.Coordinator, 1),
            .. PlanCounts(month, "open", now.Coordinator, 1),
            .. PlanCounts(overdue, "overdue", now.Coordinator, 1),
            .. PlanCounts(overdue, "overdue-days", now.Coordinator, now.ReviewOn.DayNumber),
            .. before is null ? [] : PlanEnded(before.ReviewOn, before.SavedAt, before.Coordinator, month),
        ];
        return new($"{now.ParticipantId}:plan:{now.Version}", counts, [], []);
    }

    // A plan version's counts taken back from the month it ends in, or from the month they began if that is later (a
    // leaving dated before the plan's last save, a review day after the next version).
    private static IEnumerable<MonthCount> PlanEnded(DateOnly reviewOn, DateTimeOffset savedAt, string coordinator, string endMonth)
    {
        var opened = MonthOf(savedAt);
        var overdue = Later(Later(Month(reviewOn), opened), endMonth);
        return [
            .. PlanCounts(Later(opened, endMonth), "open", coordinator, -1),
            .. PlanCounts(overdue, "overdue", coordinator, -1),
            .. PlanCounts(overdue, "overdue-days", coordinator, -reviewOn.DayNumber),
        ];
    }

    private static IEnumerable<MonthCount> PlanCounts(string month, string figure, string coordinator, long delta) =>
        [new(month, SummaryKeys.Plans(figure), delta), new(month, SummaryKeys.Plans(figure, coordinator), delta)];

    private static string Month(DateOnly day) => day.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static string Later(string month, string other) => string.CompareOrdinal(month, other) >= 0 ? month : other;

    /// <summary>The event of a consent given, in the month of its day; and once it is withdrawn, the withdrawal's, in its month.</summary>
    public static IEnumerable<SummaryEvent> Of(string participantId, CountedConsent consent)
    {
        ArgumentNullException.ThrowIfNull(consent);
        yield return new($"{participantId}:consent:{consent.Id}", [new(Month(consent.GivenOn), SummaryKeys.Consents("given", consent.Scope), 1)], [], []);
        if (consent.WithdrawnOn is { } withdrawn)
        {
            yield return new($"{participantId}:consent:{consent.Id}:withdrawn", [new(Month(withdrawn), SummaryKeys.Consents("withdrawn", consent.Scope), 1)], [], []);
        }
    }

    /// <summary>
    /// The event of a placement or a named attendance recorded, or with <paramref name="removed"/> taken back: counted in
    /// the month the placement began or of the event. Its id carries the time it was recorded, so one recorded again after
    /// being taken back counts again.
    /// </summary>
    public static SummaryEvent Of(string participantId, CountedParticipation participation, bool removed = false)
    {
        ArgumentNullException.ThrowIfNull(participation);
        var key = participation.Kind == Cooperation.Participations.Placement ? SummaryKeys.Placements : SummaryKeys.NamedAttendees;
        var id = $"{participantId}:{participation.Kind}:{participation.RecordedTicks}";
        return new(removed ? id + ":removed" : id, [new(Month(participation.Since), key, removed ? -1 : 1)], [], []);
    }

    /// <summary>The events of the consents, placements and attendances a participant's row counts (what a rebuild folds).</summary>
    public static IEnumerable<SummaryEvent> CountedOf(Participant participant)
    {
        ArgumentNullException.ThrowIfNull(participant);
        return CountedFacts.Consents(participant).SelectMany(c => Of(participant.Id, c))
            .Concat(CountedFacts.Participations(participant).Select(p => Of(participant.Id, p)));
    }

    /// <summary>The fact a received form of <paramref name="form"/> is.</summary>
    public static SummaryFact ReceivedFactOf(ReportedForm form) => form switch
    {
        ReportedForm.Entry => SummaryFact.EntryReceived,
        ReportedForm.Exit => SummaryFact.ExitReceived,
        _ => SummaryFact.SixMonthReceived,
    };


    // The counts that need two forms, made by the later of the two (an entry form filled in late, after the exit
    // form, still yields the status change — counted once, by whichever event comes second).
    private static IEnumerable<MonthCount> Later(Participant participant, JsonObject reported, DateTimeOffset at, SummaryFact fact)
    {
        var entryAt = participant.EntryReceivedAt;
        if (participant.StatusAtEntry is not { } entryStatus || entryAt is null || participant.LeftAt is not { } left)
        {
            yield break;
        }

        var cohort = MonthOf(left);
        var entryIsLater = fact == SummaryFact.EntryReceived;
        if (participant is { ExitReceivedAt: { } exitAt, StatusAtExit: { } exitStatus }
            && (entryIsLater ? exitAt < at : fact == SummaryFact.ExitReceived && entryAt <= at))
        {
            var to = Text(reported, "exitEmployment") == "self-employed" ? "self-employed" : exitStatus;
            yield return new(cohort, SummaryKeys.Transition(entryStatus, to), 1);
        }

        if (participant is { SixMonthReceivedAt: { } sixAt } && entryStatus == "employed"
            && Text(reported, "sixMonthImproved") == "yes"
            && (entryIsLater ? sixAt < at : fact == SummaryFact.SixMonthReceived && entryAt <= at))
        {
            yield return new(cohort, SummaryKeys.SixMonthImproved, 1);
        }
    }

    // ESF+ common output indicators (Reg. 2021/1057 Annex I), counted at entry.
    private static IEnumerable<string> OutputIndicators(Participant participant, JsonObject reported)
    {
        yield return "participants";
        switch (participant.StatusAtEntry)
        {
            case "long-term-unemployed":
                yield return "unemployed";
                yield return "long-term-unemployed";
                break;
            case "unemployed":
                yield return "unemployed";
                break;
            case "inactive":
                yield return "inactive";
                break;
            case "employed":
                yield return "employed";
                break;
        }

        if (DateOnly.TryParseExact(Text(reported, "birthDate"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var born))
        {
            var age = Participant.AgeOn(born, participant.JoinedOn());
            if (age < 18)
            {
                yield return "under-18";
            }
            else if (age <= 29)
            {
                yield return "18-29";
            }
            else if (age >= 55)
            {
                yield return "55-plus";
            }
        }

        if (Text(reported, "education") is { } isced && isced.StartsWith("isced-", StringComparison.Ordinal))
        {
            yield return isced;
        }

        foreach (var (key, indicator) in new[] { ("thirdCountryNational", "third-country-national"), ("foreignBackground", "foreign-background"), ("disability", "disability"), ("minority", "minority"), ("homeless", "homeless") })
        {
            if (Text(reported, key) == "yes")
            {
                yield return indicator;
            }
        }
    }

    private static string Gender(JsonObject reported) => Text(reported, "gender") switch
    {
        "woman" => "woman",
        "man" => "man",
        "non-binary" => "non-binary",
        _ => "unknown",
    };

    private static string? Text(JsonObject reported, string key) =>
        reported[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static long? Number(JsonObject reported, string key) => reported[key] switch
    {
        JsonValue value when value.TryGetValue<long>(out var n) => n,
        JsonValue value when value.TryGetValue<string>(out var s) && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };
}
