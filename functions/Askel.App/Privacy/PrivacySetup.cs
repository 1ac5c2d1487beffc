namespace Askel.App.Privacy;

/// <summary>Composition of the data-subject rights and retention: export, erasure, the daily retention run.</summary>
public static class PrivacySetup
{
    /// <summary>Registers the privacy services.</summary>
    public static IHostApplicationBuilder AddPrivacy(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<ParticipantRecords>();
        builder.Services.AddSingleton<RetentionRun>();
        return builder;
    }
}
