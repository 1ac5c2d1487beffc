using System.Security.Cryptography;
using System.Text;
using Askel.App.Participants;
using Askel.Runtime.Definitions;
using Azure.Data.Tables;

namespace Askel.App.Forms;

/// <summary>What a link in a message opens.</summary>
public enum LinkStatus
{
    /// <summary>The token is not one Askel issued (mistyped, cut short, or forged).</summary>
    Invalid,

    /// <summary>A newer link for the same form was issued; this one no longer opens it.</summary>
    Superseded,

    /// <summary>The answering time is over.</summary>
    Expired,

    /// <summary>It opens the form.</summary>
    Valid,
}

/// <summary>A resolved link.</summary>
/// <param name="Status">Whether it opens anything.</param>
/// <param name="ProjectId">The participant's project (empty when invalid).</param>
/// <param name="ParticipantId">Whose form it is.</param>
/// <param name="Target">What it opens: <c>form:&lt;form&gt;</c>, <c>external:&lt;name&gt;</c> or <c>unsubscribe:&lt;channel&gt;</c>.</param>
/// <param name="ExpiresAt">When it stops working.</param>
/// <param name="Url">For an external form, its address in the other system.</param>
/// <param name="Version">The workflow version whose form it opens (null for a link made before forms were pinned).</param>
public sealed record ResolvedLink(LinkStatus Status, string ProjectId, string ParticipantId, string Target, DateTimeOffset ExpiresAt, string? Url = null, WorkflowVersion? Version = null)
{
    /// <summary>The form's name when the link opens a form, else null.</summary>
    public string? Form => Target.StartsWith("form:", StringComparison.Ordinal) ? Target[5..] : null;

    /// <summary>The external form's name when the link confirms one, else null.</summary>
    public string? External => Target.StartsWith("external:", StringComparison.Ordinal) ? Target[9..] : null;

    /// <summary>The channel (<c>email</c>) when the link stops messages on it, else null.</summary>
    public string? Unsubscribe => Target.StartsWith(FormLinks.UnsubscribePrefix, StringComparison.Ordinal) ? Target[FormLinks.UnsubscribePrefix.Length..] : null;
}

/// <summary>
/// Form links are capabilities: a 128-bit token that opens one form of one participant until it expires
/// or a newer link replaces it. Only the token's SHA-256 hash is stored. Each participant's current link
/// per form keeps a random nonce from which the token is derived with the link secret (HMAC), so a reminder
/// can carry the same link again without the token ever being stored.
/// </summary>
public sealed class FormLinks(ParticipantTables tables, Security.LinkSecret secret, TimeProvider time)
{
    /// <summary>The links table's partition of each participant's current link per target (row key: <c>{participant}|{target}</c>).</summary>
    public const string CurrentPartition = "current";

    /// <summary>The start of the target of a link that stops a channel's messages.</summary>
    public const string UnsubscribePrefix = "unsubscribe:";

    /// <summary>The target of the link at the end of every email.</summary>
    public const string UnsubscribeEmail = UnsubscribePrefix + "email";

    /// <summary>The expiry of links that do not expire (an unsubscribe link must work in any old email).</summary>
    public static DateTimeOffset NeverExpires { get; } = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Characters in a token: 16 bytes in unpadded base64url.</summary>
    public const int TokenLength = 22;

    /// <summary>
    /// The participant's current link for <paramref name="target"/>, made when there is none, it has expired,
    /// or <paramref name="replace"/> asks for a new one (which supersedes the old). The expiry moves to
    /// <paramref name="expiresAt"/> when that is later. A form's link keeps the workflow <paramref name="version"/> whose form it opens.
    /// </summary>
    public async Task<string> CurrentAsync(
        Participant participant, string target, DateTimeOffset expiresAt, bool replace, CancellationToken cancellationToken, string? url = null, WorkflowVersion? version = null)
    {
        ArgumentNullException.ThrowIfNull(participant);
        var pointerKey = $"{participant.Id}|{target}";
        var pointer = await tables.Links.GetEntityIfExistsAsync<TableEntity>(CurrentPartition, pointerKey, cancellationToken: cancellationToken);
        var now = time.GetUtcNow();
        if (!replace && pointer.HasValue && pointer.Value!.GetBinary("Nonce") is { } nonce && pointer.Value.GetDateTimeOffset("ExpiresAt") > now)
        {
            var token = TokenOf(nonce);
            var current = pointer.Value.GetDateTimeOffset("ExpiresAt")!.Value;
            if (expiresAt > current)
            {
                await SaveAsync(participant, target, nonce, expiresAt, url, version, now, cancellationToken);
            }

            return token;
        }

        var fresh = RandomNumberGenerator.GetBytes(16);
        await SaveAsync(participant, target, fresh, expiresAt, url, version, now, cancellationToken);
        return TokenOf(fresh);
    }

    /// <summary>What <paramref name="token"/> opens.</summary>
    public async Task<ResolvedLink> ResolveAsync(string? token, CancellationToken cancellationToken)
    {
        var invalid = new ResolvedLink(LinkStatus.Invalid, "", "", "", default);
        if (token is null || token.Length != TokenLength || !token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return invalid;
        }

        var hash = HashOf(token);
        var row = await tables.Links.GetEntityIfExistsAsync<TableEntity>(hash, "", cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return invalid;
        }

        var link = row.Value!;
        var participantId = link.GetString("ParticipantId");
        var target = link.GetString("Target");
        var version = WorkflowVersion.Of(link.GetString("Workflow"), link.GetString("Version"));
        var resolved = new ResolvedLink(LinkStatus.Valid, link.GetString("ProjectId"), participantId, target, link.GetDateTimeOffset("ExpiresAt") ?? default, link.GetString("Url"), version);
        var pointer = await tables.Links.GetEntityIfExistsAsync<TableEntity>(CurrentPartition, $"{participantId}|{target}", cancellationToken: cancellationToken);
        if (!pointer.HasValue || pointer.Value!.GetString("Hash") != hash)
        {
            return resolved with { Status = LinkStatus.Superseded };
        }

        var expiresAt = pointer.Value.GetDateTimeOffset("ExpiresAt") ?? resolved.ExpiresAt;
        return resolved with { Status = expiresAt <= time.GetUtcNow() ? LinkStatus.Expired : LinkStatus.Valid, ExpiresAt = expiresAt };
    }

    private async Task SaveAsync(Participant participant, string target, byte[] nonce, DateTimeOffset expiresAt, string? url, WorkflowVersion? version, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var hash = HashOf(TokenOf(nonce));
        // The link row first: a pointer never names a hash that does not resolve.
        await tables.Links.UpsertEntityAsync(
            new TableEntity(hash, "")
            {
                ["ProjectId"] = participant.ProjectId,
                ["ParticipantId"] = participant.Id,
                ["Target"] = target,
                ["Url"] = url,
                ["Workflow"] = version?.Workflow,
                ["Version"] = version?.Version,
                ["ExpiresAt"] = expiresAt,
                ["CreatedAt"] = now,
            },
            TableUpdateMode.Replace,
            cancellationToken);
        await tables.Links.UpsertEntityAsync(
            new TableEntity(CurrentPartition, $"{participant.Id}|{target}")
            {
                ["ProjectId"] = participant.ProjectId,
                ["Nonce"] = nonce,
                ["Hash"] = hash,
                ["ExpiresAt"] = expiresAt,
            },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    private string TokenOf(byte[] nonce)
    {
        var mac = HMACSHA256.HashData(secret.Value, nonce);
        return Convert.ToBase64String(mac, 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));
}
