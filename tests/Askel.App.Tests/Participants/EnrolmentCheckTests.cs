using Askel.App.Participants;

namespace Askel.App.Tests.Participants;

/// <summary>What the enrolment check refuses before anything is stored.</summary>
public sealed class EnrolmentCheckTests
{
    // Valid in an address, but refused in a Table Storage key, and the address keys the contacts table: enrolment
    // would store the participant, then fail with a 500 before their workflow starts.
    [Theory]
    [InlineData("a#b@example.com")]
    [InlineData("a/b@example.com")]
    [InlineData("a?b@example.com")]
    public void AnAddressTableStorageCannotKey_IsRefusedAsInvalid(string email)
    {
        var problems = ParticipantService.Check(new Enrolment("Aino", "Virtanen", "fi", email, null, IntakeInPerson: false), out var normalised, out _);

        Assert.Contains("email-invalid", problems);
        Assert.Null(normalised);
    }

    // Shown on the coordinator's pages, such a name could reorder or hide what is around it (display spoofing).
    [Theory]
    [InlineData("Aino\u202Eeciova")]
    [InlineData("\u2066Aino")]
    [InlineData("Ai\u200Bno")]
    [InlineData("Aino\u200F")]
    [InlineData("\uFEFFAino")]
    [InlineData("Ai\u00ADno")]
    public void ANameWithBidiControlsOrInvisibleCharacters_IsRefused(string name)
    {
        var first = ParticipantService.Check(new Enrolment(name, "Virtanen", "fi", null, "0401234567", IntakeInPerson: false), out _, out _);
        var last = ParticipantService.Check(new Enrolment("Aino", name, "fi", null, "0401234567", IntakeInPerson: false), out _, out _);

        Assert.Contains("first-name-invalid", first);
        Assert.Contains("last-name-invalid", last);
    }

    // Persian writes some names with a zero-width non-joiner between their parts; emoji and some scripts need the joiner.
    [Theory]
    [InlineData("محمد\u200Cرضا")]
    [InlineData("Zoë")]
    [InlineData("Nguyễn")]
    [InlineData("أحمد")]
    public void ANameInAnyScript_IsAccepted(string name) =>
        Assert.DoesNotContain("first-name-invalid", ParticipantService.Check(new Enrolment(name, "Virtanen", "fi", null, "0401234567", IntakeInPerson: false), out _, out _));

    [Fact]
    public void APlainAddress_IsKept() =>
        Assert.Equal("aino.virtanen+askel@example.com", Contacts.NormaliseEmail(" aino.virtanen+askel@example.com "));
}
