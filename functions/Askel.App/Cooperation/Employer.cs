using System.Globalization;
using Askel.App.Forms;

namespace Askel.App.Cooperation;

/// <summary>
/// An employer the project works with, registered once per project under its business id (Y-tunnus) and edited in place.
/// The contact person is an employee of the employer: personal data, kept with the register and never in a summary.
/// </summary>
/// <param name="ProjectId">The project.</param>
/// <param name="BusinessId">The Y-tunnus, <c>1234567-8</c>: the row's key.</param>
/// <param name="Name">The employer's name.</param>
/// <param name="Size">One of <see cref="Sizes"/>.</param>
/// <param name="Sector">The line of business, as the coordinator writes it (may be empty).</param>
/// <param name="ContactPerson">Who the project deals with there (may be empty).</param>
/// <param name="Cooperation">The kinds of cooperation, in <see cref="CooperationTypes"/> order; at least one.</param>
/// <param name="Since">The day cooperation began: the month the summary counts the employer in.</param>
/// <param name="Version">1 when registered, one more at each change: names the change's summary event.</param>
/// <param name="RecordedBy">Who saved it last, as the project names them.</param>
public sealed record Employer(
    string ProjectId, string BusinessId, string Name, string Size, string Sector, string ContactPerson, IReadOnlyList<string> Cooperation, DateOnly Since, int Version, string RecordedBy)
{
    /// <summary>Size classes, as the EU defines them: micro (under 10 staff), small (under 50), medium (under 250), large.</summary>
    public static IReadOnlyList<string> Sizes { get; } = ["micro", "small", "medium", "large"];

    /// <summary>Kinds of cooperation.</summary>
    public static IReadOnlyList<string> CooperationTypes { get; } = ["placement", "recruitment", "training", "visit"];

    /// <summary>Whether the two say the same (who saved it and its version aside): saving the same again changes nothing.</summary>
    public bool SaysSameAs(Employer other) =>
        other is not null && (Name, Size, Sector, ContactPerson, Since) == (other.Name, other.Size, other.Sector, other.ContactPerson, other.Since)
        && Cooperation.SequenceEqual(other.Cooperation, StringComparer.Ordinal);
}

/// <summary>An employer as the register's form posts it: every field as text, checked by <see cref="Check"/>.</summary>
/// <param name="Editing">The business id of the employer being edited, or empty when registering a new one.</param>
public sealed record EmployerEntry(
    string Editing, string BusinessId, string Name, string Size, string Sector, string ContactPerson, IReadOnlyList<string> Cooperation, string Since)
{
    /// <summary>How far back cooperation can be dated.</summary>
    public const int YearsBack = 10;

    /// <summary>
    /// What is wrong with the entry, by field (an empty list when nothing is): a valid business id, a name, a size class
    /// and at least one kind of cooperation from their lists, short plain texts that no spreadsheet would run as a formula,
    /// and a start day from <see cref="YearsBack"/> years ago to today.
    /// </summary>
    public IReadOnlyList<(string Field, string Problem)> Check(DateOnly today)
    {
        var problems = new List<(string, string)>();
        if (BusinessIds.Normalise(BusinessId) is null)
        {
            problems.Add(("businessId", "employer-business-id-invalid"));
        }

        foreach (var (field, value, optional, problem) in new[]
        {
            ("name", Name, false, "employer-name-invalid"),
            ("sector", Sector, true, "employer-sector-invalid"),
            ("contactPerson", ContactPerson, true, "employer-contact-invalid"),
        })
        {
            if (!(optional && value.Trim().Length == 0) && (!PlainText.IsShort(value.Trim(), 120) || PlainText.LooksLikeFormula(value.Trim())))
            {
                problems.Add((field, problem));
            }
        }

        if (!Employer.Sizes.Contains(Size, StringComparer.Ordinal))
        {
            problems.Add(("size", "employer-size-invalid"));
        }

        if (Cooperation.Count == 0 || Cooperation.Any(c => !Employer.CooperationTypes.Contains(c, StringComparer.Ordinal)))
        {
            problems.Add(("cooperation", "employer-cooperation-invalid"));
        }

        if (!DateOnly.TryParseExact(Since, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var since) || since > today || since < today.AddYears(-YearsBack))
        {
            problems.Add(("since", "employer-since-invalid"));
        }

        return problems;
    }

    /// <summary>The employer this checked entry describes, as <paramref name="recordedBy"/> saves it as version <paramref name="version"/>.</summary>
    public Employer ToEmployer(string projectId, int version, string recordedBy) => new(
        projectId, BusinessIds.Normalise(BusinessId)!, Name.Trim(), Size, Sector.Trim(), ContactPerson.Trim(),
        [.. Employer.CooperationTypes.Where(Cooperation.Contains)], DateOnly.ParseExact(Since, "yyyy-MM-dd", CultureInfo.InvariantCulture), version, recordedBy);
}

/// <summary>Finnish business ids (Y-tunnus): seven digits, a hyphen and a check digit.</summary>
public static class BusinessIds
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2];

    /// <summary>
    /// The id as <c>1234567-8</c> when its check digit is right (spaces around it ignored; an old six-digit id gets its
    /// leading zero), else null. The check digit is 11 minus the weighted sum of the digits modulo 11 (0 when the
    /// remainder is 0; a remainder of 1 is never issued).
    /// </summary>
    public static string? Normalise(string? text)
    {
        var id = text?.Trim() ?? "";
        if (id.Length == 8 && id[6] == '-')
        {
            id = "0" + id;
        }

        if (id.Length != 9 || id[7] != '-' || !id.Remove(7, 1).All(char.IsAsciiDigit))
        {
            return null;
        }

        var remainder = Weights.Select((w, i) => w * (id[i] - '0')).Sum() % 11;
        var check = remainder switch { 0 => 0, 1 => -1, _ => 11 - remainder };
        return check == id[8] - '0' ? id : null;
    }
}
