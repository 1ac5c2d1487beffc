using System.Globalization;
using Askel.App.Forms;

namespace Askel.App.Guidance;

/// <summary>
/// One anonymous, one-off guidance contact: someone who walked in, called, chatted or stopped at a pop-up stand and was
/// advised once, without enrolling. It names no one — a date, a channel, a topic, a language, optionally an age group
/// and a gender, and the coordinator who gave it — so it needs no consent and is kept with the project's figures.
/// </summary>
/// <param name="Id">The contact's key: the form's, so a repeated post records it once.</param>
/// <param name="ProjectId">The project.</param>
/// <param name="Date">The day of the contact (Europe/Helsinki).</param>
/// <param name="Channel">One of <see cref="Channels"/>.</param>
/// <param name="Topic">One of <see cref="Topics"/>.</param>
/// <param name="Language">The language the guidance was given in: one of the participant languages.</param>
/// <param name="AgeGroup">One of <see cref="AgeGroups"/>, or null when not asked.</param>
/// <param name="Gender">One of <see cref="Genders"/>, or null when not asked.</param>
/// <param name="Coordinator">Who gave it, as the project names them.</param>
/// <param name="RecordedAt">When it was recorded.</param>
public sealed record GuidanceContact(
    string Id, string ProjectId, DateOnly Date, string Channel, string Topic, string Language, string? AgeGroup, string? Gender, string Coordinator, DateTimeOffset RecordedAt)
{
    /// <summary>How the person came.</summary>
    public static IReadOnlyList<string> Channels { get; } = ["walk-in", "phone", "chat", "pop-up"];

    /// <summary>What the guidance was about. A fixed list, not free text: free text invites names.</summary>
    public static IReadOnlyList<string> Topics { get; } = ["work", "education", "language-studies", "residence", "social-security", "housing", "health", "other"];

    /// <summary>Age groups, as the ESF+ indicators count them.</summary>
    public static IReadOnlyList<string> AgeGroups { get; } = ["under-18", "18-29", "30-54", "55-plus"];

    /// <summary>Genders, as the ESF+ indicators count them.</summary>
    public static IReadOnlyList<string> Genders { get; } = ["woman", "man", "non-binary"];

    /// <summary>The languages guidance can be given in: the participant languages.</summary>
    public static IReadOnlyList<string> Languages => PageTexts.Languages;

    /// <summary>How far back a contact can be dated: a tally is kept as it happens, not reconstructed a year later.</summary>
    public const int DaysBack = 62;
}

/// <summary>A guidance contact as a coordinator's form posts it: every field as text, checked by <see cref="Check"/>.</summary>
public sealed record GuidanceEntry(string Key, string Date, string Channel, string Topic, string Language, string AgeGroup, string Gender)
{
    /// <summary>
    /// What is wrong with the entry, by field (an empty list when nothing is): the date is a day from
    /// <see cref="GuidanceContact.DaysBack"/> days ago to today, channel, topic and language come from their lists,
    /// and age group and gender from theirs or are empty (not asked).
    /// </summary>
    public IReadOnlyList<(string Field, string Problem)> Check(DateOnly today)
    {
        var problems = new List<(string, string)>();
        if (!DateOnly.TryParseExact(Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) || day > today || day < today.AddDays(-GuidanceContact.DaysBack))
        {
            problems.Add(("date", "guidance-date-invalid"));
        }

        foreach (var (field, value, allowed, optional, problem) in new[]
        {
            ("channel", Channel, GuidanceContact.Channels, false, "guidance-channel-invalid"),
            ("topic", Topic, GuidanceContact.Topics, false, "guidance-topic-invalid"),
            ("language", Language, GuidanceContact.Languages, false, "guidance-language-invalid"),
            ("ageGroup", AgeGroup, GuidanceContact.AgeGroups, true, "guidance-age-invalid"),
            ("gender", Gender, GuidanceContact.Genders, true, "guidance-gender-invalid"),
        })
        {
            if (!(optional && value.Length == 0) && !allowed.Contains(value, StringComparer.Ordinal))
            {
                problems.Add((field, problem));
            }
        }

        return problems;
    }
}
