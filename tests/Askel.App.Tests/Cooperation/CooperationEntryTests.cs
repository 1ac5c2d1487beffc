using Askel.App.Cooperation;

namespace Askel.App.Tests.Cooperation;

/// <summary>The rules of an employer and an event as a coordinator's form posts them.</summary>
public sealed class CooperationEntryTests
{
    private static readonly DateOnly Today = new(2026, 12, 4);

    private static EmployerEntry Employer => new("", "0112038-9", "Lahden Leipomo Oy", "small", "Elintarvikkeet", "Maija Mehiläinen", ["placement", "visit"], "2026-11-30");

    private static EventEntry Event => new("k1", "2026-12-01", "job-fair", "Rekrymessut", "Lahden kaupunki", "120");

    [Theory]
    [InlineData("0112038-9", "0112038-9")]
    [InlineData(" 0112038-9 ", "0112038-9")]
    [InlineData("112038-9", "0112038-9")] // an old six-digit id gets its leading zero
    [InlineData("1572860-0", "1572860-0")] // remainder 0: check digit 0
    [InlineData("0112038-8", null)] // wrong check digit
    [InlineData("0112038", null)]
    [InlineData("01120389", null)]
    [InlineData("a112038-9", null)]
    [InlineData("0000006-1", null)] // remainder 1: never issued
    [InlineData("", null)]
    public void BusinessIds_AreCheckedByTheirCheckDigit(string text, string? normalised) =>
        Assert.Equal(normalised, BusinessIds.Normalise(text));

    [Fact]
    public void AValidEmployer_HasNoProblems_AndKeepsItsCooperationInListOrder()
    {
        Assert.Empty(Employer.Check(Today));
        var employer = (Employer with { Cooperation = ["visit", "placement"] }).ToEmployer("demo", 1, "c");
        Assert.Equal(["placement", "visit"], employer.Cooperation);
        Assert.True(employer.SaysSameAs(Employer.ToEmployer("demo", 7, "someone else")));
        Assert.False(employer.SaysSameAs((Employer with { Size = "medium" }).ToEmployer("demo", 1, "c")));
    }

    [Fact]
    public void EveryEmployerRule_NamesItsField()
    {
        var entry = new EmployerEntry("", "0112038-8", "=HYPERLINK(\"x\")", "huge", "Retail\u202E", "@boss", ["lunch"], "2027-01-01");

        Assert.Equal(
            [("businessId", "employer-business-id-invalid"), ("name", "employer-name-invalid"), ("sector", "employer-sector-invalid"), ("contactPerson", "employer-contact-invalid"),
             ("size", "employer-size-invalid"), ("cooperation", "employer-cooperation-invalid"), ("since", "employer-since-invalid")],
            entry.Check(Today));
        Assert.Equal([("cooperation", "employer-cooperation-invalid")], (Employer with { Cooperation = [] }).Check(Today));
        Assert.Empty((Employer with { Sector = "", ContactPerson = " " }).Check(Today)); // optional
        Assert.Equal([("since", "employer-since-invalid")], (Employer with { Since = "2016-12-03" }).Check(Today));
        Assert.Equal([("name", "employer-name-invalid")], (Employer with { Name = new string('a', 121) }).Check(Today));
    }

    [Fact]
    public void EveryEventRule_NamesItsField()
    {
        Assert.Empty(Event.Check(Today));
        Assert.Empty((Event with { Attendance = "0" }).Check(Today));
        Assert.Equal(
            [("date", "event-date-invalid"), ("kind", "event-kind-invalid"), ("title", "event-title-invalid"), ("organiser", "event-organiser-invalid"), ("attendance", "event-attendance-invalid")],
            new EventEntry("k1", "2026-12-05", "party", "", "+1 organiser", "-3").Check(Today));
        Assert.Equal([("attendance", "event-attendance-invalid")], (Event with { Attendance = "100001" }).Check(Today));
        Assert.Equal([("date", "event-date-invalid")], (Event with { Date = "2024-12-03" }).Check(Today));
        Assert.Equal([("date", "event-date-invalid")], (Event with { Date = "2026-02-30" }).Check(Today));
        Assert.Equal(120, Event.ToEvent("demo", 1, "c").Attendance);
    }
}
