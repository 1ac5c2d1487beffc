using Askel.App.Participants;

namespace Askel.App.Tests.Participants;

/// <summary>A participant is found the way a coordinator remembers them.</summary>
public sealed class ParticipantSearchTests
{
    private static readonly Participant Aino = new()
    {
        FirstName = "Aino", LastName = "Järvinen", Email = "aino.jarvinen@example.org", Phone = "+358401234567",
    };

    [Theory]
    [InlineData("jarvinen")]
    [InlineData("JÄRVINEN")]
    [InlineData("aino j")]
    [InlineData("järvinen aino")]
    [InlineData("@example.org")]
    [InlineData("040 123 4567")]
    [InlineData("+358 40 123")]
    [InlineData("1234567")]
    [InlineData("  ")]
    public void Matches_WhatACoordinatorTypes(string query) => Assert.True(ParticipantSearch.Matches(Aino, query));

    [Theory]
    [InlineData("virtanen")]
    [InlineData("040 765 4321")]
    [InlineData("45")] // too few digits to mean a number
    [InlineData("aino 4567")] // letters and digits: a name, not a number
    [InlineData("other@example.org")]
    public void DoesNotMatch_SomeoneElse(string query) => Assert.False(ParticipantSearch.Matches(Aino, query));
}
