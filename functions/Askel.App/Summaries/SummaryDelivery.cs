using Askel.App.Hosting;
using Askel.App.Messaging;
using Askel.App.Projects;
using Askel.App.Summaries.Rendering;
using Microsoft.Extensions.Options;

namespace Askel.App.Summaries;

/// <summary>What one run did with one project's month.</summary>
/// <param name="ProjectId">The project.</param>
/// <param name="Month">The month (<c>yyyy-MM</c>).</param>
/// <param name="Outcome">
/// <c>sent</c>, <c>skipped</c> (no managers), <c>failed</c> (refused for good), <c>retry</c> (a passing failure: the
/// claim was released for the next run) or <c>busy</c> (another instance holds the claim).
/// </param>
public sealed record MonthDelivery(string ProjectId, string Month, string Outcome);

/// <summary>
/// Sends each project's monthly summary to its managers, exactly once per project and month. Each run works out the
/// months owed from the project's delivery rows (<see cref="SummaryDeliveries"/>: those after the latest done, up to
/// the latest due by <see cref="SummarySchedule"/>; the latest only when none was ever done) and, oldest first,
/// claims each, builds and renders it, sends it as one email to every recipient, and records it sent with the
/// provider's id. A month another instance holds stops that project's run, so months never go out of order.
/// <para>
/// The one window: a crash (or a run outliving its lease) after the provider accepted the email and before the row
/// says sent lets a later run send it again, as for participants' messages. The message id is deterministic
/// (<c>summary.{project}.{month}</c>), so the outbox overwrites its file and SendGrid's custom args and Graph's header
/// show a duplicate for what it is.
/// </para>
/// </summary>
public sealed partial class SummaryDelivery(
    ProjectCatalog projects,
    SummaryService summaries,
    SummaryDeliveries deliveries,
    SummaryStore store,
    ManagerRecipients recipients,
    MessageSender sender,
    Forecasts.ExitForecasts forecasts,
    IOptions<AskelOptions> askel,
    TimeProvider time,
    ILogger<SummaryDelivery> logger)
{
    /// <summary>How long a claim holds: well beyond one send (three attempts of 30 s at most, waits included).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    /// <summary>Who reads the project's participants for the summary's early warning, in the audit log.</summary>
    public const string Actor = "askel:monthly-summary";

    /// <summary>The language of the summary email.</summary>
    public const string Language = "fi";

    /// <summary>Askel's id of a project's summary email for a month, the same on every attempt.</summary>
    public static string MessageId(string projectId, string month) => $"summary.{projectId}.{month}";

    /// <summary>The summary's page in the app.</summary>
    public static string SummaryUrl(Uri publicBaseUrl, string projectId, string month)
    {
        ArgumentNullException.ThrowIfNull(publicBaseUrl);
        return $"{publicBaseUrl.ToString().TrimEnd('/')}/coordinator/projects/{Uri.EscapeDataString(projectId)}/summary?month={month}";
    }

    /// <summary>Delivers what every project owes now; one project's failure does not stop the others.</summary>
    public async Task<IReadOnlyList<MonthDelivery>> RunAsync(CancellationToken cancellationToken)
    {
        await store.CreateAsync(cancellationToken);
        var done = new List<MonthDelivery>();
        foreach (var project in projects.All.OrderBy(p => p.Id, StringComparer.Ordinal))
        {
            try
            {
                done.AddRange(await DeliverAsync(project, cancellationToken));
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Reading the project's deliveries failed: the others still go out, this one at the next run.
                var month = SummarySchedule.LatestDue(project, time.GetUtcNow());
                LogError(logger, e, project.Id, month);
                done.Add(new MonthDelivery(project.Id, month, "retry"));
            }
        }

        return done;
    }

    /// <summary>Delivers the months <paramref name="project"/> owes now, oldest first, stopping at the first that is not done.</summary>
    public async Task<IReadOnlyList<MonthDelivery>> DeliverAsync(Project project, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        var latest = SummarySchedule.LatestDue(project, time.GetUtcNow());

        // The usual hourly answer costs one read: the latest month is done, so everything before it is.
        if (await deliveries.FindAsync(project.Id, latest, cancellationToken) is { IsDone: true })
        {
            return [];
        }

        var rows = await deliveries.ListAsync(project.Id, cancellationToken);
        var lastDone = rows.LastOrDefault(r => r.IsDone)?.Month;

        // A month claimed before anything was ever done (a first run that crashed) is still owed.
        var owed = lastDone is null && rows.Count > 0
            ? SummarySchedule.Owed(SummarySchedule.PreviousMonth(rows[0].Month), latest)
            : SummarySchedule.Owed(lastDone, latest);
        var delivered = new List<MonthDelivery>();
        foreach (var month in owed)
        {
            var outcome = await DeliverMonthAsync(project, month, cancellationToken);
            if (outcome is null)
            {
                continue; // another instance finished it meanwhile
            }

            delivered.Add(new MonthDelivery(project.Id, month, outcome));
            if (outcome is "retry" or "busy")
            {
                break;
            }
        }

        return delivered;
    }

    // What this run did with the month, or null when another instance had finished it.
    private async Task<string?> DeliverMonthAsync(Project project, string month, CancellationToken cancellationToken)
    {
        var (claim, existing) = await deliveries.ClaimAsync(project.Id, month, time.GetUtcNow(), Lease, cancellationToken);
        if (claim is null)
        {
            if (existing is { IsDone: true })
            {
                return null;
            }

            LogBusy(logger, project.Id, month);
            return "busy";
        }

        if (claim.TakenOver)
        {
            LogTakenOver(logger, project.Id, month);
        }

        try
        {
            IReadOnlyList<string> to;
            try
            {
                to = await recipients.ForAsync(project, cancellationToken);
            }
            catch (ManagerGroupException e)
            {
                await deliveries.ReleaseAsync(claim, CancellationToken.None);
                LogRetry(logger, project.Id, month, "the manager group could not be read: " + e.Message);
                return "retry";
            }

            if (to.Count == 0)
            {
                await deliveries.FinishAsync(claim, DeliveryStatus.Skipped, time.GetUtcNow(), 0, null, "no managers", cancellationToken);
                LogNoManagers(logger, project.Id, month);
                return "skipped";
            }

            var summary = await summaries.BuildAsync(project, month, cancellationToken) with
            {
                ExitForecast = await forecasts.ForSummaryAsync(project, month, Actor, cancellationToken),
            };
            var mail = SummaryEmail.Render(summary, Language, SummaryUrl(askel.Value.PublicBaseUrl, project.Id, month));
            var message = new OutgoingMessage("email", to[0], mail.Subject, mail.Text, Language)
            {
                Html = mail.Html,
                Attachments = mail.Attachments,
                AlsoTo = [.. to.Skip(1)],
            };
            var result = await sender.SendAsync(MessageId(project.Id, month), message, cancellationToken);
            switch (result.Outcome)
            {
                case DeliveryOutcome.Accepted:
                    if (!await deliveries.FinishAsync(claim, DeliveryStatus.Sent, time.GetUtcNow(), to.Count, result.ProviderMessageId, null, CancellationToken.None))
                    {
                        LogLeaseLost(logger, project.Id, month);
                    }

                    LogSent(logger, project.Id, month, to.Count);
                    return "sent";
                case DeliveryOutcome.Permanent:
                    await deliveries.FinishAsync(claim, DeliveryStatus.Failed, time.GetUtcNow(), to.Count, null, result.Reason, CancellationToken.None);
                    LogFailed(logger, project.Id, month, result.Reason ?? "refused");
                    return "failed";
                default:
                    await deliveries.ReleaseAsync(claim, CancellationToken.None);
                    LogRetry(logger, project.Id, month, result.Reason ?? result.Outcome.ToString());
                    return "retry";
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Storage or rendering failed: give the month back to the next run.
            await deliveries.ReleaseAsync(claim, CancellationToken.None);
            LogError(logger, e, project.Id, month);
            return "retry";
        }
    }

    [LoggerMessage(1800, LogLevel.Information, "The monthly summary of {Project} for {Month} was sent to {Recipients} recipient(s)")]
    private static partial void LogSent(ILogger logger, string project, string month, int recipients);

    [LoggerMessage(1801, LogLevel.Warning, "Project {Project} has no managers: its monthly summary for {Month} is not sent, and not tried again (add managers: or managerGroup: to its file)")]
    private static partial void LogNoManagers(ILogger logger, string project, string month);

    [LoggerMessage(1802, LogLevel.Warning, "The monthly summary of {Project} for {Month} was not sent and is tried again at the next hourly run: {Reason}")]
    private static partial void LogRetry(ILogger logger, string project, string month, string reason);

    [LoggerMessage(1803, LogLevel.Error, "The monthly summary of {Project} for {Month} was refused and is not tried again: {Reason}")]
    private static partial void LogFailed(ILogger logger, string project, string month, string reason);

    [LoggerMessage(1804, LogLevel.Warning, "The monthly summary of {Project} for {Month} was sent after its claim had run out: another instance may have sent it too")]
    private static partial void LogLeaseLost(ILogger logger, string project, string month);

    [LoggerMessage(1805, LogLevel.Information, "The monthly summary of {Project} for {Month} is being sent by another instance")]
    private static partial void LogBusy(ILogger logger, string project, string month);

    [LoggerMessage(1806, LogLevel.Warning, "The monthly summary of {Project} for {Month}: an earlier attempt's claim ran out, this run takes it over")]
    private static partial void LogTakenOver(ILogger logger, string project, string month);

    [LoggerMessage(1807, LogLevel.Error, "The monthly summary of {Project} for {Month} failed and is tried again at the next hourly run")]
    private static partial void LogError(ILogger logger, Exception exception, string project, string month);
}
