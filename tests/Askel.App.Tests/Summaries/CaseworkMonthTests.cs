using Askel.App.Cooperation;
using Askel.App.Guidance;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.App.Summaries;

namespace Askel.App.Tests.Summaries;

/// <summary>
/// One month of a project's casework beside its participants — plans, consents, anonymous contacts with their smileys,
/// employers and events with feedback, placements and named attendees, leavers guided and only advised — folded together as the kept rows hold them, and
/// every table issue 15 added against figures counted by hand.
/// </summary>
public sealed class CaseworkMonthTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void NovembersCasework_EveryNewTable_IsWhatWasCountedByHand()
    {
        var project = new Project("p", "Polku", "participant", new DateOnly(2027, 12, 31), null, ["anna@kunta.fi"], [])
        {
            Targets = new ProjectTargets(null, 0.5, null, null) { Employers = 20, EventAttendees = 300, EmployersBySize = new Dictionary<string, int> { ["micro"] = 10 } },
        };
        var fold = new SummaryFold();

        // Two leavers in November: Aino individually guided, into work; Bo only advised, still searching.
        fold.Add(Leaver("aino", adviceOnly: false, "employed"));
        fold.Add(Leaver("bo", adviceOnly: true, "job-searching"));

        // Plans: Dan's made in October (review 11-15, never reviewed, so overdue 16 days at 12-01); Cai's made in November (review in February).
        foreach (var plan in new[] { Plan("dan", "2026-10-10", "2026-11-15"), Plan("cai", "2026-11-05", "2027-02-05") })
        {
            fold.Add(SummaryEvents.Of(plan, null));
        }

        // Consents: Cai's to the processing in November; Aino's sharing with Kela given in October, withdrawn in November.
        foreach (var summaryEvent in SummaryEvents.Of("cai", new CountedConsent("k1", "project-data", Day("2026-11-05"), null))
            .Concat(SummaryEvents.Of("aino", new CountedConsent("k2", "share-kela", Day("2026-10-10"), new DateOnly(2026, 11, 20)))))
        {
            fold.Add(summaryEvent);
        }

        // Three walk-in and phone contacts, two smileys at the service point (5 and 2).
        fold.Add(SummaryEvents.Of(Contact("c1", "walk-in")));
        fold.Add(SummaryEvents.Of(Contact("c2", "walk-in")));
        fold.Add(SummaryEvents.Of(Contact("c3", "phone")));
        fold.Add(SummaryEvents.Of(new SatisfactionVote("v1", "p", new DateOnly(2026, 11, 12), 5)));
        fold.Add(SummaryEvents.Of(new SatisfactionVote("v2", "p", new DateOnly(2026, 11, 13), 2)));

        // Employers: a micro one since October, a small one since November; a job fair in November of 45, rated 4.
        fold.Add(SummaryEvents.Of(new Employer("p", "0112038-9", "Leipomo", "micro", "", "", ["placement"], new DateOnly(2026, 10, 1), 1, "anna@kunta.fi")));
        fold.Add(SummaryEvents.Of(new Employer("p", "2345678-0", "Kuljetus", "small", "", "", ["recruitment"], new DateOnly(2026, 11, 3), 1, "anna@kunta.fi")));
        fold.Add(SummaryEvents.Of(new CooperationEvent("p", "e1", new DateOnly(2026, 11, 18), "job-fair", "Rekrymessut", "Lahti", 45, 1, "anna@kunta.fi")));
        fold.Add(SummaryEvents.Of(new SatisfactionVote("v3", "p", new DateOnly(2026, 11, 18), 4, "e1")));

        // Aino was placed at the bakery from October and named at the fair; Bo's naming at it was taken back.
        var ticks = new DateTimeOffset(2026, 11, 19, 9, 0, 0, TimeSpan.Zero).UtcTicks;
        fold.Add(SummaryEvents.Of("aino", new CountedParticipation(Participations.Placement, new DateOnly(2026, 10, 20), ticks)));
        fold.Add(SummaryEvents.Of("aino", new CountedParticipation(Participations.Attendance, new DateOnly(2026, 11, 18), ticks)));
        var bo = new CountedParticipation(Participations.Attendance, new DateOnly(2026, 11, 18), ticks);
        fold.Add(SummaryEvents.Of("bo", bo));
        fold.Add(SummaryEvents.Of("bo", bo, removed: true));

        var november = SummaryCalculator.Build(project, "2026-11", fold.Months, [], [], Now);

        Assert.Equal([new PlanLine(null, 2, 1, 16, 1, 0), new PlanLine("anna@kunta.fi", 2, 1, 16, 1, 0)], november.Plans);
        Assert.Equal(
            [new ConsentLine("project-data", 1, 1, 0, 0), new ConsentLine("share-te", 0, 0, 0, 0), new ConsentLine("share-kela", 0, 1, 1, 1), new ConsentLine("share-other", 0, 0, 0, 0)],
            november.Consents);
        Assert.Equal([new GuidanceLine("all", "contacts", 3, 3), new GuidanceLine("channel", "walk-in", 2, 2), new GuidanceLine("channel", "phone", 1, 1)], november.Guidance.Take(3));
        Assert.Equal(new SatisfactionLine(3.5, 2, 3.5, 2), november.GuidanceSatisfaction);
        Assert.Equal(
            [new CooperationLine("employers", 1, 2, 20), new CooperationLine("size/micro", 0, 1, 10), new CooperationLine("size/small", 1, 1, null),
             new CooperationLine("cooperation/placement", 0, 1, null), new CooperationLine("cooperation/recruitment", 1, 1, null), new CooperationLine("placements", 0, 1, null)],
            november.Employers);
        Assert.Equal([new CooperationLine("events", 1, 1, null), new CooperationLine("kind/job-fair", 1, 1, null), new CooperationLine("attendance", 45, 45, 300), new CooperationLine("named-attendees", 1, 1, null)], november.Events);
        Assert.Equal(new SatisfactionLine(4, 1, 4, 1), november.EventFeedback);
        Assert.Equal([new WorkOrEducationLine("individual", 1, 1), new WorkOrEducationLine("advice-only", 1, 0), new WorkOrEducationLine("all", 2, 1)], november.WorkOrEducation);
        Assert.Contains(new TargetLine("workOrEducationAtExit", 0.5, 1, IsShare: true), november.Targets); // the guided group's share
        Assert.Contains(new TargetLine("eventAttendees", 300, 45, IsShare: false), november.Targets);
    }

    private static Participant Leaver(string id, bool adviceOnly, string status) => new()
    {
        PartitionKey = "p", RowKey = id, EnrolledBy = "anna@kunta.fi", EnrolledAt = new DateTimeOffset(2026, 9, 1, 9, 0, 0, TimeSpan.Zero), AdviceOnly = adviceOnly,
        LeftAt = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero), ExitReceivedAt = new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero), StatusAtExit = status,
    };

    private static Plan Plan(string participant, string saved, string review) =>
        new(participant, 1, [new PlanGoal("work", "Työ")], [], Day(review), "anna@kunta.fi", "anna@kunta.fi", new DateTimeOffset(Day(saved).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero), participant);

    private static GuidanceContact Contact(string id, string channel) =>
        new(id, "p", new DateOnly(2026, 11, 10), channel, "work", "fi", null, null, "anna@kunta.fi", Now);

    private static DateOnly Day(string day) => DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);
}
