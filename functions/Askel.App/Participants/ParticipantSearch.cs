using System.Globalization;

namespace Askel.App.Participants;

/// <summary>
/// Finds a participant the way a coordinator remembers them: part of a name (any case, with or without accents:
/// "jarvinen" finds Järvinen), part of an email address, or a number as it is written locally or internationally
/// ("040 123 4567" finds +358 40 123 4567).
/// </summary>
public static class ParticipantSearch
{
    private const CompareOptions Loose = CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace;

    /// <summary>Whether <paramref name="participant"/> matches <paramref name="query"/>.</summary>
    public static bool Matches(Participant participant, string query)
    {
        ArgumentNullException.ThrowIfNull(participant);
        ArgumentNullException.ThrowIfNull(query);
        query = query.Trim();
        if (query.Length == 0)
        {
            return true;
        }

        var compare = CultureInfo.InvariantCulture.CompareInfo;
        if (compare.IndexOf($"{participant.FirstName} {participant.LastName}", query, Loose) >= 0
            || compare.IndexOf($"{participant.LastName} {participant.FirstName}", query, Loose) >= 0
            || (participant.Email is { } email && email.Contains(query, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        // A number: its digits, a local leading 0 dropped, found in the stored international number's digits.
        var digits = new string([.. query.Where(char.IsAsciiDigit)]);
        if (digits.Length < 4 || query.Any(c => char.IsLetter(c)) || participant.Phone is not { } phone)
        {
            return false;
        }

        return new string([.. phone.Where(char.IsAsciiDigit)]).Contains(digits.TrimStart('0'), StringComparison.Ordinal);
    }
}
