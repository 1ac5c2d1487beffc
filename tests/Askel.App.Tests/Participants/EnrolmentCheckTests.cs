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

    [Fact]
    public void APlainAddress_IsKept() =>
        Assert.Equal("aino.virtanen+askel@example.com", Contacts.NormaliseEmail(" aino.virtanen+askel@example.com "));
}
