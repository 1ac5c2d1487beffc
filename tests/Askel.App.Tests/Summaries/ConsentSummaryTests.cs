using Askel.App.Participants;
using Askel.App.Projects;
using Askel.App.Summaries;
using Askel.App.Summaries.Rendering;

namespace Askel.App.Tests.Summaries;

/// <summary>Consents in the summary: given and withdrawn per scope, in their months, and those in force at the month's end.</summary>
public sealed class ConsentSummaryTests
{
    [Fact]
    public void TheConsentsTable_CountsEachScopeGivenAndWithdrawnInItsMonth_AsCountedByHand()
    {
        // October: p1 and p2 consent to the project's processing, p1 to sharing with TE services.
        // November: p3 consents to the processing; p2 withdraws it; p1's TE sharing is withdrawn in December.
        Consent[] consents =
        [
            Given("p1", "project-data", "2026-10-05"),
            Given("p2", "project-data", "2026-10-20") with { WithdrawnOn = new DateOnly(2026, 11, 3), WithdrawnBy = "anna@kunta.fi" },
            Given("p1", "share-te", "2026-10-05") with { WithdrawnOn = new DateOnly(2026, 12, 1), WithdrawnBy = "anna@kunta.fi" },
            Given("p3", "project-data", "2026-11-12"),
        ];
        var fold = new SummaryFold();
        foreach (var summaryEvent in consents.SelectMany(c => SummaryEvents.Of(c.ParticipantId, new CountedConsent(c.Id, c.Scope, c.GivenOn, c.WithdrawnOn))))
        {
            fold.Add(summaryEvent);
        }

        var project = new Project("p", "Polku", "participant", new DateOnly(2027, 12, 31), null, ["anna@kunta.fi"], []);
        var november = SummaryCalculator.Build(project, "2026-11", fold.Months, [], [], new DateTimeOffset(2026, 12, 2, 6, 0, 0, TimeSpan.Zero));

        Assert.Equal(
            [new ConsentLine("project-data", 1, 3, 1, 1), new ConsentLine("share-te", 0, 1, 0, 0), new ConsentLine("share-kela", 0, 0, 0, 0), new ConsentLine("share-other", 0, 0, 0, 0)],
            november.Consents);
        Assert.Equal(2, november.Consents[0].InForce);
        var table = Assert.Single(SummaryTables.Of(november, "en"), t => t.Id == "consents");
        Assert.Equal(["The project's processing of their data", "1", "3", "1", "1", "2"], table.Rows[0].Select(c => c.Display("en")));
        Assert.Equal(0, SummaryCalculator.Build(project, "2026-12", fold.Months, [], [], new DateTimeOffset(2027, 1, 2, 6, 0, 0, TimeSpan.Zero)).Consents[1].InForce);
    }

    private static Consent Given(string participant, string scope, string day) =>
        new(participant, $"{participant}-{scope}", scope, "", "consent", DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), "paper", "v2", "anna@kunta.fi",
            new DateTimeOffset(2026, 10, 1, 9, 0, 0, TimeSpan.Zero), null, null);
}
