using Askel.App.Audit;
using Askel.Runtime.Client;
using Askel.Runtime.Storage;
using Azure.Data.Tables;

namespace Askel.App.Participants;

/// <summary>A contact a coordinator made outside Askel, as the timeline lists it.</summary>
/// <param name="At">When it was logged.</param>
/// <param name="Kind">One of <see cref="ContactAttempts.Kinds"/>.</param>
/// <param name="Outcome">One of <see cref="ContactAttempts.Outcomes"/>.</param>
/// <param name="By">The coordinator.</param>
public sealed record ContactAttempt(DateTimeOffset At, string Kind, string Outcome, string By);

/// <summary>
/// Contacts a coordinator made outside Askel — a call, WhatsApp, a visit, a letter — and what came of them. Each is kept
/// (no free text, so no personal data beyond the fact), told to the workflow (a step may count it as an attempt) and
/// audited; a wrong number marks the SMS channel invalid, as a bounce would.
/// </summary>
public sealed class ContactAttempts(ParticipantTables tables, ContactChannels channels, IWorkflowClient workflows, AuditLog audit, TimeProvider time)
{
    /// <summary>How a coordinator reached for the participant.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["phone", "whatsapp", "visit", "letter"];

    /// <summary>What came of it.</summary>
    public static IReadOnlyList<string> Outcomes { get; } = ["reached", "no-answer", "wrong-number"];

    /// <summary>Whether <paramref name="kind"/> and <paramref name="outcome"/> go together: a wrong number is a call's or a message's.</summary>
    public static bool IsValid(string kind, string outcome) =>
        Kinds.Contains(kind) && Outcomes.Contains(outcome) && (outcome != WrongNumber || kind is "phone" or "whatsapp");

    private const string WrongNumber = "wrong-number";
    private const string Reached = "reached";

    /// <summary>Logs one contact (see <see cref="IsValid"/>) by <paramref name="actor"/>.</summary>
    public async Task LogAsync(Participant participant, string kind, string outcome, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(participant);
        if (!IsValid(kind, outcome))
        {
            throw new ArgumentException($"'{kind}' with '{outcome}' is not a contact attempt.", nameof(outcome));
        }

        var at = time.GetUtcNow();
        var key = $"{TableRows.NewestFirst(at)}-{Guid.NewGuid():N}"[..28];
        await tables.Attempts.AddEntityAsync(
            new TableEntity(participant.Id, key) { ["ProjectId"] = participant.ProjectId, ["At"] = at, ["Kind"] = kind, ["Outcome"] = outcome, ["By"] = actor },
            cancellationToken);
        if (outcome == Reached)
        {
            await tables.UpdateParticipantAsync(participant.ProjectId, participant.Id, p => p.LastContactAt = at, cancellationToken);
        }

        await audit.RecordAsync(actor, "contact-attempt", participant.ProjectId, participant.Id, $"{kind}: {outcome}", cancellationToken);
        await workflows.RaiseAsync(participant.InstanceId, new ContactAttempted(kind, outcome, "contact-attempt:" + key), cancellationToken);
        if (outcome == WrongNumber && participant.Phone is not null)
        {
            await channels.MarkAsync(participant, "sms", ContactChannels.Invalid, $"{actor}: wrong number", cancellationToken);
        }
    }

    /// <summary>The participant's logged contacts, newest first.</summary>
    public async Task<IReadOnlyList<ContactAttempt>> OfAsync(string participantId, CancellationToken cancellationToken)
    {
        var list = new List<ContactAttempt>();
        await foreach (var row in tables.Attempts.QueryAsync<TableEntity>(r => r.PartitionKey == participantId, cancellationToken: cancellationToken))
        {
            list.Add(new ContactAttempt(row.GetDateTimeOffset("At") ?? default, row.GetString("Kind") ?? "", row.GetString("Outcome") ?? "", row.GetString("By") ?? ""));
        }

        return list;
    }
}
