using Askel.App.Coordinator.Components;
using Askel.App.Forms;
using Askel.App.Guidance;
using Askel.App.Projects;
using Askel.App.Summaries.Rendering;
using Microsoft.AspNetCore.Antiforgery;
using QRCoder;
using static Askel.App.Coordinator.Components.Formats;

namespace Askel.App.Coordinator;

public static partial class CoordinatorPages
{
    /// <summary>
    /// The form for an anonymous guidance contact, nothing chosen: dated today, or the day of the contact just recorded
    /// (<c>?date=</c>), which <c>?saved=channel.topic</c> names above it.
    /// </summary>
    internal static IResult GuidancePage(string projectId, HttpContext context, ProjectCatalog catalog, SatisfactionVotes votes, TimeProvider time, IAntiforgery antiforgery)
    {
        var page = Page(context, antiforgery);
        if (Find(catalog, context.User, projectId) is not { } project)
        {
            return NotFound(page);
        }

        if (ClosedRefusal(page, project, context) is { } closed)
        {
            return closed;
        }

        var today = DayOf(time.GetUtcNow());
        var fresh = FreshGuidance(today);
        var asked = context.Request.Query;
        var savedDate = fresh with { Date = asked["date"].ToString() };
        var values = savedDate.Check(today).Any(p => p.Field == "date") ? fresh : fresh with { Date = savedDate.Date };
        var saved = asked["saved"].ToString().Split('.') is [var channel, var topic] && GuidanceContact.Channels.Contains(channel) && GuidanceContact.Topics.Contains(topic)
            ? $"{SummaryTexts.Get($"guidance-channel-{channel}", page.Language)} · {SummaryTexts.Get($"guidance-topic-{topic}", page.Language)}"
            : null;
        return GuidanceForm(page, project, votes, values, [], saved, StatusCodes.Status200OK);
    }

    /// <summary>
    /// Records one anonymous guidance contact and goes back to the form, empty for the next one; with problems, shows the
    /// form as posted with them (422).
    /// </summary>
    internal static async Task<IResult> RecordGuidanceAsync(
        string projectId, HttpContext context, ProjectCatalog catalog, GuidanceTally tally, SatisfactionVotes votes, TimeProvider time, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var (post, refusal) = await OpenProjectPostAsync(projectId, context, catalog, antiforgery, casework: true);
        if (post is null)
        {
            return refusal!;
        }

        var (page, project, posted) = post;

        var entry = new GuidanceEntry(
            FormKey(posted["key"].ToString()), posted["date"].ToString(), posted["channel"].ToString(), posted["topic"].ToString(), posted["language"].ToString(),
            posted["ageGroup"].ToString(), posted["gender"].ToString());
        var problems = entry.Check(DayOf(time.GetUtcNow()));
        if (problems.Count > 0)
        {
            return GuidanceForm(page, project, votes, entry, problems, null, StatusCodes.Status422UnprocessableEntity);
        }

        var contact = await tally.RecordAsync(project, entry, Enroller(project, context.User), cancellationToken);
        return FormFlow.SeeOther(page.Href($"/coordinator/projects/{project.Id}/guidance?saved={contact.Channel}.{contact.Topic}&date={Day(contact.Date)}"));
    }

    private static GuidanceEntry FreshGuidance(DateOnly today) => new(NewFormKey(), Day(today), "", "", "", "", "");

    private static IResult GuidanceForm(
        PageContext page, Project project, SatisfactionVotes votes, GuidanceEntry values, IReadOnlyList<(string Field, string Problem)> problems, string? saved, int status)
    {
        var url = votes.UrlOf(project);
        return new ComponentPage<GuidancePage, GuidanceView>(
            page with { Path = $"/coordinator/projects/{project.Id}/guidance" }, new GuidanceView(project, values, problems, saved, url, QrPng(url)), status);
    }

    // A link to print: a PNG QR code that survives a smudge (error correction Q).
    private static byte[] QrPng(string url) => new PngByteQRCode(new QRCodeGenerator().CreateQrCode(url, QRCodeGenerator.ECCLevel.Q)).GetGraphic(8);
}
