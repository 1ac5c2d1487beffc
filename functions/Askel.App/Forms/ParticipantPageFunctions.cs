using Askel.App.Participants;
using Askel.App.Projects;
using Askel.App.Security;
using Microsoft.Azure.Functions.Worker;

namespace Askel.App.Forms;

/// <summary>The participant's pages as functions (anonymous: a link is the only key); the pages are <see cref="ParticipantPageEndpoints"/>.</summary>
public sealed class ParticipantPageFunctions(
    FormLinks links, ParticipantService participants, ContactChannels channels, PinnedForms forms, FormFlow flow, FormResponses responses, PageTexts texts, ProjectCatalog projects,
    RateLimits limits)
{
    /// <summary>The accessibility statement.</summary>
    [Function("participant-accessibility")]
    public IResult Accessibility([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "f/accessibility")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        PageHeaders.ForParticipantPage(request.HttpContext);
        return ParticipantPageEndpoints.Statement(request.HttpContext, texts, "accessibility-title", "accessibility-body", "/f/accessibility");
    }

    /// <summary>The privacy notice.</summary>
    [Function("participant-privacy")]
    public IResult Privacy([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "f/privacy")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        PageHeaders.ForParticipantPage(request.HttpContext);
        return ParticipantPageEndpoints.Statement(request.HttpContext, texts, "privacy-title", "privacy-body", "/f/privacy");
    }

    /// <summary>The link's page: a form page, an external form's confirmation, or an unsubscribe question.</summary>
    [Function("participant-page")]
    public Task<IResult> ShowAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "f/{token}")] HttpRequest request, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        PageHeaders.ForParticipantPage(request.HttpContext);
        return limits.WithinAsync(
            RateLimited.LinkOpen, request.HttpContext, () => ParticipantPageEndpoints.ShowAsync(token, request.HttpContext, links, participants, forms, flow, responses, texts, projects, cancellationToken),
            () => ParticipantPageEndpoints.OverLimit(request.HttpContext, texts));
    }

    /// <summary>A page's answers, a confirmation or an unsubscribe.</summary>
    [Function("participant-page-post")]
    public Task<IResult> PostAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "f/{token}")] HttpRequest request, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        PageHeaders.ForParticipantPage(request.HttpContext);
        var overLimit = !limits.TryAcquire(RateLimited.FormPost, request.HttpContext);
        return ParticipantPageEndpoints.PostAsync(token, request.HttpContext, links, participants, channels, forms, flow, responses, texts, projects, overLimit, cancellationToken);
    }

    /// <summary>The thank-you page.</summary>
    [Function("participant-page-done")]
    public Task<IResult> DoneAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "f/{token}/done")] HttpRequest request, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        PageHeaders.ForParticipantPage(request.HttpContext);
        return limits.WithinAsync(
            RateLimited.LinkOpen, request.HttpContext, () => ParticipantPageEndpoints.DoneAsync(token, request.HttpContext, links, participants, forms, responses, texts, cancellationToken),
            () => ParticipantPageEndpoints.OverLimit(request.HttpContext, texts));
    }
}
