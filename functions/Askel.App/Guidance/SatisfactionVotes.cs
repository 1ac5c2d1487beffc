using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Askel.App.Hosting;
using Askel.App.Projects;
using Askel.App.Security;
using Microsoft.Extensions.Options;

namespace Askel.App.Guidance;

/// <summary>One tap on a satisfaction page: the day and the score (1–5), and the event it rated (null: the service point's guidance); nothing about who tapped.</summary>
public sealed record SatisfactionVote(string Id, string ProjectId, DateOnly Date, int Score, string? EventId = null);

/// <summary>What a satisfaction link rates: a project's guidance at its service point, or one of its events.</summary>
public sealed record FeedbackSubject(Project Project, Cooperation.CooperationEvent? Event);

/// <summary>
/// One-tap satisfaction at a service point: each project has a short public link (<c>/s/{code}</c>, printed as a QR code)
/// where anyone guided can give a 1–5 smiley without signing in (the tally keeps the day and the score only); each of its
/// events has one too (<c>/s/{code}-{event key}</c>), for feedback from those who attended. A repeat from the same device
/// within <see cref="RepeatWindow"/> counts once: the device keeps a signed cookie with the time of its last counted vote.
/// </summary>
public sealed class SatisfactionVotes(
    LinkSecret secret, ProjectCatalog projects, GuidanceTally tally, Cooperation.CooperationRegister register, IOptions<AskelOptions> options, TimeProvider time)
{
    /// <summary>How long a device's repeated vote counts once.</summary>
    public static readonly TimeSpan RepeatWindow = TimeSpan.FromMinutes(10);

    private readonly byte[] _linkKey = secret.KeyFor("satisfaction-link");
    private readonly byte[] _cookieKey = secret.KeyFor("satisfaction-cookie");

    /// <summary>The project's link code: derived from the app's secret, so it cannot be guessed from the project's name.</summary>
    public string CodeOf(Project project)
    {
        ArgumentNullException.ThrowIfNull(project);
        return Convert.ToHexStringLower(HMACSHA256.HashData(_linkKey, Encoding.UTF8.GetBytes(project.Id)))[..12];
    }

    /// <summary>
    /// The project's satisfaction page, as printed at the service point; or, with <paramref name="eventId"/>, the feedback
    /// page of that event (the event's key is random, so one event's link does not lead to another's).
    /// </summary>
    public string UrlOf(Project project, string? eventId = null) =>
        new Uri(options.Value.PublicBaseUrl, "s/" + CodeOf(project) + (eventId is null ? "" : "-" + eventId)).ToString();

    /// <summary>What the link with <paramref name="code"/> rates, or null when no project's guidance or event has it.</summary>
    public async Task<FeedbackSubject?> SubjectOfAsync(string code, CancellationToken cancellationToken)
    {
        var (projectCode, eventId) = code.Split('-') is [var p, var e] ? (p, e) : (code, null);
        if (projectCode.Length != 12
            || projects.All.FirstOrDefault(p => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(CodeOf(p)), Encoding.ASCII.GetBytes(projectCode))) is not { } project)
        {
            return null;
        }

        if (eventId is null)
        {
            return new(project, null);
        }

        return eventId is { Length: 32 } && eventId.All(char.IsAsciiHexDigitLower) && await register.EventAsync(project.Id, eventId, cancellationToken) is { } rated
            ? new(project, rated)
            : null;
    }

    /// <summary>
    /// Counts a vote of <paramref name="score"/> (1–5) unless <paramref name="lastVote"/> (the device's cookie) shows a vote
    /// counted within <see cref="RepeatWindow"/>.
    /// </summary>
    /// <returns>Whether it was counted, and the cookie the device keeps from now on.</returns>
    public async Task<(bool Counted, string Cookie)> VoteAsync(FeedbackSubject subject, int score, string? lastVote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var project = subject.Project;
        ArgumentOutOfRangeException.ThrowIfLessThan(score, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(score, 5);
        var now = time.GetUtcNow();
        if (LastVoteAt(project, lastVote) is { } last && now - last < RepeatWindow)
        {
            return (false, lastVote!);
        }

        await tally.CountVoteAsync(project, subject.Event?.Id, score, cancellationToken);
        var seconds = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return (true, $"{seconds}.{Signature(project, seconds)}");
    }

    // The time of the device's last counted vote in this project, when its cookie is one this app signed.
    private DateTimeOffset? LastVoteAt(Project project, string? cookie) =>
        cookie?.Split('.') is [var seconds, var signature]
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Signature(project, seconds)), Encoding.ASCII.GetBytes(signature))
        && long.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var unix)
            ? DateTimeOffset.FromUnixTimeSeconds(unix)
            : null;

    private string Signature(Project project, string seconds) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_cookieKey, Encoding.UTF8.GetBytes($"{project.Id}|{seconds}")))[..32];
}
