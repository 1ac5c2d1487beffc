namespace Askel.App.Forecasts;

/// <summary>Composition of the forecasts: each project's calibration, kept for a while, and the early warning built on it.</summary>
public static class ForecastSetup
{
    /// <summary>Registers the calibration and the early warning.</summary>
    public static IHostApplicationBuilder AddForecasts(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<ResponseHistory>();
        builder.Services.AddSingleton<ExitForecasts>();
        return builder;
    }
}
