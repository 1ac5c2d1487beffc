using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Askel.App.Audit;
using Askel.App.Forms;
using Askel.App.Messaging;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.Runtime.Definitions;
using Askel.Runtime.Effects;
using Askel.Runtime.Simulation;

namespace Askel.App.Forecasts;

/// <summary>A project's response profile and what it rests on.</summary>
/// <param name="Profile">The rates: the project's own where its history has enough messages, <see cref="ResponseHistory.Assumed"/>'s elsewhere.</param>
/// <param name="Participants">Participants whose messages were read.</param>
/// <param name="Messages">Messages whose outcome is known.</param>
/// <param name="At">When it was worked out.</param>
public sealed record Calibration(ResponseProfile Profile, int Participants, int Messages, DateTimeOffset At);

/// <summary>
/// Calibration: how a project's participants have answered so far, per channel, attempt and language. Every message of
/// a chased form (one with an attempt number) in the message log is answered when the form it carried was received
/// after it and before the step's next message; the last message of a step whose link is still open is left out, since
/// its outcome is not known yet. The received times are the participant row's (entry, exit, six months), so a form kept
/// elsewhere and confirmed by a coordinator counts as Askel's own do. A project's profile is kept
/// <see cref="KeptFor"/>: forecasts on busy pages do not read every participant's messages each time. Only the
/// <see cref="MostRecent"/> participants enrolled last are read (a partition query each): the rates then reflect how
/// the project works now, and a calibration of the largest project takes seconds, not minutes.
/// </summary>
public sealed partial class ResponseHistory(ParticipantService participants, MessageLog messages, FormCatalog forms, AuditLog audit, TimeProvider time)
{
    /// <summary>How long a project's calibration is used before it is worked out again.</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromHours(6);

    /// <summary>
    /// The rates assumed where a project has too little history: a quarter of emails and three in ten SMS answered, for
    /// every attempt — four messages then bring about two in three forms, as the reminder studies find (49.5 % → 65.6 %).
    /// </summary>
    public static ResponseProfile Assumed { get; } = ResponseProfile.PerChannel(new Dictionary<string, double>(StringComparer.Ordinal) { ["email"] = 0.25, ["sms"] = 0.30 });

    /// <summary>How many of the participants enrolled last a calibration reads.</summary>
    public const int MostRecent = 2000;

    private const int Reads = 8;

    private readonly ConcurrentDictionary<string, Lazy<Task<Calibration>>> _kept = new(StringComparer.Ordinal);

    /// <summary>
    /// The project's calibration, worked out again when older than <see cref="KeptFor"/> (once, however many ask at the
    /// same time); every use is audited, since it rests on the participants' messages.
    /// </summary>
    public async Task<Calibration> CalibrateAsync(Project project, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        var calibration = await KeptAsync(project);
        if (time.GetUtcNow() - calibration.At >= KeptFor)
        {
            _kept.TryRemove(project.Id, out _);
            calibration = await KeptAsync(project);
        }

        await audit.RecordAsync(actor, "calibrate", project.Id, null, $"{calibration.Messages} messages of {calibration.Participants} participants", cancellationToken);
        return calibration;
    }

    private async Task<Calibration> KeptAsync(Project project)
    {
        var kept = _kept.GetOrAdd(project.Id, _ => new(() => WorkOutAsync(project)));
        try
        {
            return await kept.Value;
        }
        catch
        {
            _kept.TryRemove(KeyValuePair.Create(project.Id, kept)); // the next one tries again
            throw;
        }
    }

    // Shared by everyone waiting for it, so no one caller's cancellation stops it; it is bounded by MostRecent reads.
    private async Task<Calibration> WorkOutAsync(Project project)
    {
        var now = time.GetUtcNow();
        var people = (await participants.ReadForFiguresAsync(project.Id, CancellationToken.None)).Take(MostRecent).ToList(); // newest first
        var observed = new ConcurrentBag<ObservedMessage>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = Reads };
        await Parallel.ForEachAsync(people, options, async (participant, token) =>
        {
            foreach (var message in Observe(participant, await messages.ForInstanceAsync(participant.InstanceId, token), now))
            {
                observed.Add(message);
            }
        });
        return new Calibration(ResponseProfile.FromHistory(observed, Assumed), people.Count, observed.Count, now);
    }

    /// <summary>
    /// The messages of one participant whose outcome is known by <paramref name="now"/>: those handed over (a bounced or
    /// failed one never reached them; a fallback through another channel is the same attempt) of steps chasing a form
    /// whose arrival the participant row records.
    /// </summary>
    internal IEnumerable<ObservedMessage> Observe(Participant participant, IReadOnlyList<LoggedMessage> log, DateTimeOffset now)
    {
        var chased = log
            .Where(m => m.Effect is not null && m.Status is "sent" or "delivered" && AttemptOf(m) is not null)
            .GroupBy(m => EffectId.TryParse(m.MessageId, out var id) ? id.Entry : m.MessageId, StringComparer.Ordinal); // one step entry's messages
        foreach (var entry in chased)
        {
            var sent = entry.OrderBy(m => m.At).ToArray();
            if (Reported(sent[0].Effect!) is not { } form)
            {
                continue; // a form that reports nothing (feedback): when it came in is not kept
            }

            var received = participant.ReceivedAt(form);
            for (var i = 0; i < sent.Length; i++)
            {
                var effect = sent[i].Effect!;
                var until = i + 1 < sent.Length ? sent[i + 1].At : (DateTimeOffset?)null;
                var answered = received >= sent[i].At && (until is null || received < until);
                // The last message of a step whose link is still open may yet be answered.
                var pending = !answered && until is null && (ExpiresAt(effect) is not { } expires || expires > now);
                if (!pending)
                {
                    yield return new ObservedMessage(sent[i].Channel, AttemptOf(sent[i])!.Value, effect["language"]?.GetValue<string>() ?? participant.Language, answered);
                }
            }
        }
    }

    // The effect says its attempt; a message logged before effects said it has it in its id's tag (a1, a2, …; a fallback a2-sms-fallback).
    private static int? AttemptOf(LoggedMessage message) =>
        message.Effect?["attempt"] is JsonValue attempt && attempt.TryGetValue<int>(out var number) ? number
        : EffectId.TryParse(message.MessageId, out var id) && AttemptTag().Match(id.Tag) is { Success: true } tag ? int.Parse(tag.Groups[1].Value, CultureInfo.InvariantCulture)
        : null;

    [GeneratedRegex(@"^a(\d{1,3})(-[a-z]+-fallback)?$", RegexOptions.CultureInvariant)]
    private static partial Regex AttemptTag();

    private ReportedForm? Reported(JsonObject effect) =>
        effect["reports"]?.GetValue<string>() is { } reports ? ReportedForms.Parse(reports)
        : effect["form"]?.GetValue<string>() is { } name && forms.Find(name) is { } form ? FormResponses.Reports(form)
        : null;

    private static DateTimeOffset? ExpiresAt(JsonObject effect) =>
        effect["expiresAt"]?.GetValue<string>() is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : null;
}
