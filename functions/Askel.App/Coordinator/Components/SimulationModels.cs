using Askel.App.Forecasts;
using Askel.Runtime.Simulation;

namespace Askel.App.Coordinator.Components;

/// <summary>The simulation page: its form as asked, what may be chosen, and the run's result when the form was sent.</summary>
/// <param name="Form">The values asked for, and what is wrong with them.</param>
/// <param name="Workflows">The workflows to choose from: name and title.</param>
/// <param name="Projects">The projects whose history the user may calibrate from: id and name.</param>
/// <param name="Result">The run, or null before one (or when the form has errors).</param>
public sealed record SimulationView(SimulationForm Form, IReadOnlyList<(string Name, string Title)> Workflows, IReadOnlyList<(string Id, string Name)> Projects, SimulationResult? Result);

/// <summary>What to simulate, as the form holds it.</summary>
/// <param name="Workflow">The workflow's name.</param>
/// <param name="Project">The project whose history gives the response profile and whose end date the cohort has, or "" for none.</param>
/// <param name="Participants">Cohort size.</param>
/// <param name="Weeks">Over how many weeks they enrol (0: all on the first day).</param>
/// <param name="Months">How many months the run covers.</param>
/// <param name="EmailRate">Per cent of emails answered (when no project is chosen).</param>
/// <param name="SmsRate">Per cent of SMS answered (when no project is chosen).</param>
/// <param name="Errors">What is wrong, field by field, in the page's language.</param>
public sealed record SimulationForm(string Workflow, string Project, string Participants, string Weeks, string Months, string EmailRate, string SmsRate, IReadOnlyList<FormError> Errors)
{
    /// <summary>The error of <paramref name="field"/>, or null.</summary>
    public string? ErrorOf(string field) => Errors.FirstOrDefault(e => e.Field == field)?.Text;
}

/// <summary>A run's result as the page shows it.</summary>
/// <param name="Report">The run.</param>
/// <param name="FormTitles">Each captured form's title in the page's language, by the report's form name.</param>
/// <param name="Calibration">The project's calibration, when the profile came from its history.</param>
/// <param name="Profile">The rates the run drew from.</param>
/// <param name="EndDate">The project end date the cohort had.</param>
public sealed record SimulationResult(SimulationReport Report, IReadOnlyDictionary<string, string> FormTitles, Calibration? Calibration, ResponseProfile Profile, DateOnly EndDate);

/// <summary>One series of a <c>WeeklyChart</c>: a name, a colour and a value per week.</summary>
public sealed record ChartSeries(string Name, string Colour, IReadOnlyList<int> Values);
