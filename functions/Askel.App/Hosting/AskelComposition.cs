using Askel.App.Coordinator;
using Askel.App.Forecasts;
using Askel.App.Messaging.Email;
using Askel.App.Messaging.Sms;
using Askel.App.Operations;
using Askel.App.Participants;
using Askel.App.Privacy;
using Askel.App.Security;
using Askel.App.Summaries;
using Askel.App.Workflows;

namespace Askel.App.Hosting;

/// <summary>The app's services, the same under the Functions host and the local host.</summary>
public static class AskelComposition
{
    /// <summary>Registers everything the functions use.</summary>
    public static IHostApplicationBuilder AddAskel(this IHostApplicationBuilder builder) =>
        builder
            .AddAskelDefaults()
            .AddAskelStorage()
            .AddAskelSecurity()
            .AddWorkflowRuntime()
            .AddParticipants()
            .AddPrivacy()
            .AddSummaryDelivery()
            .AddForecasts()
            .AddEmailProviders()
            .AddSmsProviders()
            .AddCoordinatorPages()
            .AddOperations();
}
