using System.Globalization;
using System.Security.Claims;
using Askel.App.Hosting;
using Askel.App.Messaging;
using Askel.App.Participants;
using Askel.App.Projects;
using Askel.App.Security;
using Askel.Runtime.Calendar;
using Askel.Runtime.Engine;
using Azure;
using Azure.Data.Tables;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Askel.App.Coordinator;

/// <summary>
/// The coordinators' morning email: at 08:00 Helsinki time on working days (or at the first hourly run before noon), each coordinator who has something in their
/// work queue gets how many items of each kind wait, with the participants' first names only and a link to the queue.
/// A coordinator can switch it off on their landing page. Each coordinator's digest of a day is claimed in the
/// <c>digests</c> table before it is sent, so a repeated run sends nobody two.
/// </summary>
public sealed partial class DailyDigest(
    ProjectCatalog projects, WorkQueue queue, MessageSender sender, TableServiceClient tables, EngineOptions engine, IOptions<AskelOptions> options,
    TimeProvider time, ILogger<DailyDigest> logger)
{
    /// <summary>The hour of the morning, Helsinki time, the digest goes out.</summary>
    public const int Hour = 8;

    private const string Off = "off";
    private static readonly TimeZoneInfo Zone = CalendarPolicy.Default.TimeZone;

    /// <summary>The digests sent (one row per coordinator and day) and who switched theirs off.</summary>
    public TableClient Table { get; } = tables.GetTableClient(engine.StoragePrefix + "digests");

    /// <summary><c>digest-daily</c> (timer, every hour at minute 0: 08:00 Helsinki is a whole UTC hour in summer and winter time).</summary>
    [Function("digest-daily")]
    public async Task RunAsync([TimerTrigger("0 0 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var local = TimeZoneInfo.ConvertTime(time.GetUtcNow(), Zone);
        var day = DateOnly.FromDateTime(local.DateTime);
        // From 08:00 until noon: a digest that failed, or a morning the app was down, goes out at the next hour's run.
        if (local.Hour is < Hour or >= Hour + 4 || !FinnishHolidays.IsWorkingDay(day))
        {
            return;
        }

        await Table.CreateIfNotExistsAsync(cancellationToken);
        var sent = 0;
        foreach (var coordinator in projects.All.SelectMany(p => p.Coordinators).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (Contacts.NormaliseEmail(coordinator) is { } address && await SendAsync(coordinator, address, day, cancellationToken))
            {
                sent++;
            }
        }

        LogDigests(logger, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), sent);
    }

    /// <summary>Whether <paramref name="coordinator"/> gets the digest (they have not switched it off).</summary>
    public async Task<bool> IsOnAsync(string coordinator, CancellationToken cancellationToken)
    {
        try
        {
            return !(await Table.GetEntityIfExistsAsync<TableEntity>(Off, Key(coordinator), cancellationToken: cancellationToken)).HasValue;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return true; // no digest has run yet: the table does not exist
        }
    }

    /// <summary>Switches <paramref name="coordinator"/>'s digest on or off.</summary>
    public async Task SwitchAsync(string coordinator, bool on, CancellationToken cancellationToken)
    {
        await Table.CreateIfNotExistsAsync(cancellationToken);
        if (on)
        {
            await Table.DeleteEntityAsync(Off, Key(coordinator), ETag.All, cancellationToken);
        }
        else
        {
            await Table.UpsertEntityAsync(new TableEntity(Off, Key(coordinator)) { ["At"] = time.GetUtcNow() }, TableUpdateMode.Replace, cancellationToken);
        }
    }

    private async Task<bool> SendAsync(string coordinator, string address, DateOnly day, CancellationToken cancellationToken)
    {
        if (!await IsOnAsync(coordinator, cancellationToken))
        {
            return false;
        }

        // The coordinator as they would sign in: their name, and their object id where a project file gives it.
        Claim[] claims = projects.ObjectIdOf(coordinator) is { } objectId
            ? [new(ClaimTypes.Name, coordinator), new(AppServicePrincipal.ObjectIdClaim, objectId)]
            : [new(ClaimTypes.Name, coordinator)];
        var user = new ClaimsPrincipal(new ClaimsIdentity(claims, "digest", ClaimTypes.Name, ClaimTypes.Role));
        var items = (await queue.ForAsync(user, projects.All.Where(p => p.IsCoordinator(coordinator)), cancellationToken, actor: "askel:daily-digest")).Items;
        if (items.Count == 0)
        {
            return false; // nothing needs them: no email
        }

        var dayKey = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        try
        {
            await Table.AddEntityAsync(new TableEntity(dayKey, Key(coordinator)) { ["Items"] = items.Count, ["At"] = time.GetUtcNow() }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false; // sent already today
        }

        var link = options.Value.PublicBaseUrl.ToString().TrimEnd('/') + "/coordinator";
        string Body(string language) => CoordinatorTexts.Get("digest-intro", language, ("count", items.Count.ToString(CultureInfo.InvariantCulture))) + "\n\n"
            + string.Join("\n", WorkQueue.Sections.Select(s => (s.Title, Items: items.Where(i => i.GetType() == s.Kind).ToList())).Where(s => s.Items.Count > 0)
                .Select(s => "- " + CoordinatorTexts.Get(s.Title, language, ("count", s.Items.Count.ToString(CultureInfo.InvariantCulture)))
                    + ": " + string.Join(", ", s.Items.Select(i => i.Participant.FirstName).Distinct().Take(10)) + (s.Items.Count > 10 ? ", …" : "")))
            + "\n\n" + CoordinatorTexts.Get("digest-link", language, ("link", link)) + "\n" + CoordinatorTexts.Get("digest-off", language);
        var message = new OutgoingMessage(
            "email", address, CoordinatorTexts.Get("digest-subject", "fi", ("count", items.Count.ToString(CultureInfo.InvariantCulture))) + " / "
                + CoordinatorTexts.Get("digest-subject", "en", ("count", items.Count.ToString(CultureInfo.InvariantCulture))),
            Body("fi") + "\n\n---\n\n" + Body("en"), "fi");
        var result = await sender.SendAsync($"digest.{dayKey}.{Key(coordinator)}", message, cancellationToken);
        if (result.Outcome is not DeliveryOutcome.Accepted)
        {
            // Not sent: the day is given back, and the next hourly run before noon tries again.
            await Table.DeleteEntityAsync(dayKey, Key(coordinator), ETag.All, CancellationToken.None);
            LogNotSent(logger, result.Reason ?? result.Outcome.ToString());
            return false;
        }

        return true;
    }

    // Table keys cannot hold '/', '\\', '#' or '?'; a sign-in name is lowercased and those escaped.
    private static string Key(string coordinator) => Uri.EscapeDataString(coordinator.Trim().ToLowerInvariant());

    [LoggerMessage(EventId = 5301, Level = LogLevel.Information, Message = "Daily digests of {Day}: {Sent} sent")]
    private static partial void LogDigests(ILogger logger, string day, int sent);

    [LoggerMessage(EventId = 5302, Level = LogLevel.Warning, Message = "A daily digest was not sent: {Reason}")]
    private static partial void LogNotSent(ILogger logger, string reason);
}
