using System.Globalization;
using System.Text.Json.Nodes;
using Askel.App.Audit;
using Askel.App.Forms;
using Askel.Runtime.Client;
using Azure;
using Azure.Data.Tables;
using static Askel.App.Coordinator.Components.Formats;

namespace Askel.App.Participants;

/// <summary>
/// A participant's consent: what it covers, on what legal basis, when it was given, on which form, who recorded it, and
/// its withdrawal once withdrawn.
/// </summary>
/// <param name="ParticipantId">The participant.</param>
/// <param name="Id">The record's key: the form's, so a repeated post records it once.</param>
/// <param name="Scope">One of <see cref="Consents.Scopes"/>.</param>
/// <param name="Partner">For <c>share-other</c>: the partner data may be shared with; else empty.</param>
/// <param name="Basis">One of <see cref="Consents.Bases"/>: the GDPR art. 6 basis the processing rests on.</param>
/// <param name="GivenOn">The day it was given.</param>
/// <param name="Medium"><c>paper</c> or <c>askel</c>: where it was given.</param>
/// <param name="FormVersion">Which consent form (and its version) was signed or answered.</param>
/// <param name="RecordedBy">Who recorded it.</param>
/// <param name="RecordedAt">When it was recorded.</param>
/// <param name="WithdrawnOn">The day it was withdrawn, or null.</param>
/// <param name="WithdrawnBy">Who recorded the withdrawal, or null.</param>
public sealed record Consent(
    string ParticipantId, string Id, string Scope, string Partner, string Basis, DateOnly GivenOn, string Medium, string FormVersion, string RecordedBy, DateTimeOffset RecordedAt,
    DateOnly? WithdrawnOn, string? WithdrawnBy)
{
    /// <summary>Whether it holds on <paramref name="day"/>: given by then and not withdrawn by then.</summary>
    public bool HoldsOn(DateOnly day) => GivenOn <= day && (WithdrawnOn is not { } withdrawn || withdrawn > day);

    /// <summary>What the monthly summary counts of it, as kept on the participant's row.</summary>
    public CountedConsent Counted => new(Id, Scope, GivenOn, WithdrawnOn);
}

/// <summary>A consent as the timeline's form posts it: every field as text, checked by <see cref="Check"/>.</summary>
public sealed record ConsentEntry(string Key, string Scope, string Partner, string Basis, string GivenOn, string Medium, string FormVersion)
{
    /// <summary>
    /// What is wrong with the entry, by field: a scope, a basis and a medium from their lists, a partner named for
    /// <c>share-other</c> (and only then), the form's version as a short plain text, and a day from the participant's
    /// enrolment to today.
    /// </summary>
    public IReadOnlyList<(string Field, string Problem)> Check(DateOnly enrolledOn, DateOnly today)
    {
        var problems = new List<(string, string)>();
        if (!Consents.Scopes.Contains(Scope, StringComparer.Ordinal))
        {
            problems.Add(("consent-scope", "consent-scope-invalid"));
        }
        else if (Scope == "share-other" ? !IsText(Partner) : Partner.Trim().Length > 0)
        {
            problems.Add(("consent-partner", "consent-partner-invalid"));
        }

        if (!Consents.Bases.Contains(Basis, StringComparer.Ordinal))
        {
            problems.Add(("consent-basis", "consent-basis-invalid"));
        }

        if (!DateOnly.TryParseExact(GivenOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var given) || given > today || given < enrolledOn.AddDays(-Consents.DaysBeforeEnrolment))
        {
            problems.Add(("consent-given", "consent-given-invalid"));
        }

        if (!Consents.Media.Contains(Medium, StringComparer.Ordinal))
        {
            problems.Add(("consent-medium", "consent-medium-invalid"));
        }

        if (!IsText(FormVersion))
        {
            problems.Add(("consent-form", "consent-form-invalid"));
        }

        return problems;
    }

    private static bool IsText(string text) => PlainText.IsShort(text.Trim(), 120) && !PlainText.LooksLikeFormula(text.Trim());
}

/// <summary>
/// Participants' consents, one row per consent in the consents table (partition: the participant), audited. A consent to
/// the project's processing of their data tells their workflow (<c>consent</c>: a step may wait for it, as a project that
/// asks consent before coaching does); withdrawing it opts both channels out, so Askel stops chasing them. A withdrawn
/// sharing consent stays listed as withdrawn, so no one shares on it.
/// </summary>
public sealed class Consents(
    ParticipantTables tables, ContactChannels channels, IWorkflowClient workflows, AuditLog audit, Summaries.SummaryStore summary, TimeProvider time, ILogger<Consents> logger)
{
    /// <summary>What a consent covers: the project's processing of their data, or sharing it with a partner.</summary>
    public static IReadOnlyList<string> Scopes { get; } = ["project-data", "share-te", "share-kela", "share-other"];

    /// <summary>The GDPR art. 6(1) bases: consent (a), legal obligation (c), public task (e).</summary>
    public static IReadOnlyList<string> Bases { get; } = ["consent", "legal-obligation", "public-task"];

    /// <summary>Where it was given: on paper or in Askel.</summary>
    public static IReadOnlyList<string> Media { get; } = ["paper", "askel"];

    /// <summary>How long before enrolment a consent can be dated: signed at the first meeting, recorded at enrolment.</summary>
    public const int DaysBeforeEnrolment = 30;

    /// <summary>The event a participant's workflow is told when they consent to the project's processing of their data.</summary>
    public const string ConsentEvent = "consent";

    /// <summary>
    /// Records a checked entry (see <see cref="ConsentEntry.Check"/>) by <paramref name="actor"/>. A repeat of the same key
    /// records nothing more.
    /// </summary>
    public async Task<Consent> RecordAsync(Participant participant, ConsentEntry entry, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(participant);
        ArgumentNullException.ThrowIfNull(entry);
        var consent = new Consent(
            participant.Id, entry.Key, entry.Scope, entry.Scope == "share-other" ? entry.Partner.Trim() : "", entry.Basis,
            DateOnly.ParseExact(entry.GivenOn, "yyyy-MM-dd", CultureInfo.InvariantCulture), entry.Medium, entry.FormVersion.Trim(), actor, time.GetUtcNow(), null, null);
        try
        {
            await tables.Consents.AddEntityAsync(RowOf(participant.ProjectId, consent), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return ConsentOf((await tables.Consents.GetEntityAsync<TableEntity>(participant.Id, entry.Key, cancellationToken: cancellationToken)).Value);
        }

        await audit.RecordAsync(actor, "record-consent", participant.ProjectId, participant.Id, $"{consent.Scope} ({consent.Basis}, {consent.Medium})", cancellationToken);
        var counted = consent.Counted;
        await tables.UpdateParticipantAsync(participant.ProjectId, participant.Id, p =>
        {
            if (CountedFacts.Consents(p).All(c => c.Id != consent.Id))
            {
                CountedFacts.Set(p, [.. CountedFacts.Consents(p), counted]);
            }
        }, cancellationToken);
        await summary.ApplyAfterChangeAsync(participant.ProjectId, Summaries.SummaryEvents.Of(participant.Id, counted).First(), logger, cancellationToken);
        if (consent.Scope == "project-data")
        {
            var data = new JsonObject { ["givenOn"] = entry.GivenOn, ["basis"] = consent.Basis };
            await workflows.RaiseAsync(participant.InstanceId, new NamedEvent(ConsentEvent, data, "consent:" + consent.Id), cancellationToken);
        }

        return consent;
    }

    /// <summary>
    /// Withdraws the consent <paramref name="id"/> on <paramref name="withdrawnOn"/> (from the day it was given to
    /// today), by <paramref name="actor"/>; withdrawing the project's processing opts both channels out.
    /// </summary>
    /// <returns>The consent as withdrawn, or null when there is no such consent or the day is outside its range.</returns>
    public async Task<Consent?> WithdrawAsync(Participant participant, string id, DateOnly withdrawnOn, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(participant);
        var row = await tables.Consents.GetEntityIfExistsAsync<TableEntity>(participant.Id, id, cancellationToken: cancellationToken);
        if (!row.HasValue || ConsentOf(row.Value!) is not { } consent || withdrawnOn < consent.GivenOn || withdrawnOn > DayOf(time.GetUtcNow()))
        {
            return null;
        }

        if (consent.WithdrawnOn is not null)
        {
            return consent; // withdrawn before: the first withdrawal stands
        }

        var withdrawn = consent with { WithdrawnOn = withdrawnOn, WithdrawnBy = actor };
        await tables.Consents.UpdateEntityAsync(RowOf(participant.ProjectId, withdrawn), row.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
        await audit.RecordAsync(actor, "withdraw-consent", participant.ProjectId, participant.Id, $"{consent.Scope} on {withdrawnOn:yyyy-MM-dd}", cancellationToken);
        var counted = withdrawn.Counted;
        await tables.UpdateParticipantAsync(participant.ProjectId, participant.Id, p =>
            CountedFacts.Set(p, [.. CountedFacts.Consents(p).Where(c => c.Id != consent.Id), counted]), cancellationToken);
        await summary.ApplyAfterChangeAsync(participant.ProjectId, Summaries.SummaryEvents.Of(participant.Id, counted).Last(), logger, cancellationToken);
        if (consent.Scope == "project-data")
        {
            foreach (var channel in new[] { "email", "sms" })
            {
                if (ContactChannels.AddressOf(participant, channel) is not null && ContactChannels.StateOf(participant, channel) != ContactChannels.OptedOut)
                {
                    await channels.MarkAsync(participant, channel, ContactChannels.OptedOut, $"{actor}: consent withdrawn", cancellationToken);
                }
            }
        }

        return withdrawn;
    }

    /// <summary>The participant's consents, the earliest given first.</summary>
    public async Task<IReadOnlyList<Consent>> OfAsync(string participantId, CancellationToken cancellationToken)
    {
        var list = new List<Consent>();
        await foreach (var row in tables.Consents.QueryAsync<TableEntity>(r => r.PartitionKey == participantId, cancellationToken: cancellationToken))
        {
            list.Add(ConsentOf(row));
        }

        return [.. list.OrderBy(c => c.GivenOn).ThenBy(c => c.RecordedAt)];
    }

    private static TableEntity RowOf(string projectId, Consent consent) => new(consent.ParticipantId, consent.Id)
    {
        ["ProjectId"] = projectId,
        ["Scope"] = consent.Scope,
        ["Partner"] = consent.Partner,
        ["Basis"] = consent.Basis,
        ["GivenOn"] = Day(consent.GivenOn),
        ["Medium"] = consent.Medium,
        ["FormVersion"] = consent.FormVersion,
        ["RecordedBy"] = consent.RecordedBy,
        ["RecordedAt"] = consent.RecordedAt,
        ["WithdrawnOn"] = consent.WithdrawnOn is { } withdrawn ? Day(withdrawn) : null,
        ["WithdrawnBy"] = consent.WithdrawnBy,
    };

    private static Consent ConsentOf(TableEntity row) => new(
        row.PartitionKey, row.RowKey, row.GetString("Scope") ?? "", row.GetString("Partner") ?? "", row.GetString("Basis") ?? "",
        DateOnly.ParseExact(row.GetString("GivenOn"), "yyyy-MM-dd", CultureInfo.InvariantCulture), row.GetString("Medium") ?? "", row.GetString("FormVersion") ?? "",
        row.GetString("RecordedBy") ?? "", row.GetDateTimeOffset("RecordedAt") ?? default,
        row.GetString("WithdrawnOn") is { } on ? DateOnly.ParseExact(on, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null, row.GetString("WithdrawnBy"));
}
