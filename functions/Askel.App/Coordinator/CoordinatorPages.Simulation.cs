using System.Globalization;
using System.Text.Json.Nodes;
using Askel.App.Coordinator.Components;
using Askel.App.Forecasts;
using Askel.App.Forms;
using Askel.App.Projects;
using Askel.Runtime.Definitions;
using Askel.Runtime.Simulation;
using Microsoft.AspNetCore.Antiforgery;

namespace Askel.App.Coordinator;

/// <summary>The simulation page: <c>askel simulate</c> for managers, with a project's own history as the response profile.</summary>
public static partial class CoordinatorPages
{
    /// <summary>The most participants a run from the page may have.</summary>
    public const int MaxSimulatedParticipants = 5000;

    // A run takes every core for a moment: one at a time on an instance, so pages go on answering meanwhile.
    private static readonly SemaphoreSlim OneRunAtATime = new(1, 1);

    /// <summary>
    /// The form, and with <c>?run</c> the run: sends per week per channel, coordinator tasks per week and capture per form.
    /// Open to everyone who uses the coordinator pages with hand-chosen rates; a project's history (<c>?project=</c>) only to
    /// those who coordinate or manage it, and reading it is audited. The page changes nothing, so it is a GET.
    /// </summary>
    internal static async Task<IResult> SimulationAsync(HttpContext context, ProjectCatalog catalog, IAntiforgery antiforgery, CancellationToken cancellationToken) =>
        await SimulationPageAsync(
            Page(context, antiforgery), context.Request.Query, catalog.All.Where(p => MayReadSummary(context.User, p)), context.RequestServices, cancellationToken);

    /// <summary>The simulation page for <paramref name="query"/>, offering the history of <paramref name="projects"/> (those the user may read).</summary>
    /// <param name="page">The page being answered.</param>
    /// <param name="query">The form's fields; <c>run</c> runs it.</param>
    /// <param name="projects">The projects whose history the user may calibrate from.</param>
    /// <param name="services">The workflow and form catalogs, the clock, and (for a project's history) its calibration.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static async Task<ComponentPage<SimulationPage, SimulationView>> SimulationPageAsync(
        PageContext page, IQueryCollection query, IEnumerable<Project> projects, IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(services);
        var workflows = services.GetRequiredService<WorkflowCatalog>();
        string Asked(string name, string fallback) => query.ContainsKey(name) ? query[name].ToString().Trim() : fallback;

        var readable = projects.OrderBy(p => p.Name, StringComparer.CurrentCulture).ToList();
        var project = readable.FirstOrDefault(p => p.Id == Asked("project", ""));
        var choices = workflows.Names.Order(StringComparer.Ordinal).Select(n => (n, workflows.Get(n).Title.For(page.Language))).ToList();
        var form = new SimulationForm(
            Asked("workflow", project?.Workflow ?? choices.FirstOrDefault().n ?? ""), Asked("project", ""),
            Asked("participants", "200"), Asked("weeks", "26"), Asked("months", "14"), Asked("email", "25"), Asked("sms", "30"), []);

        var errors = new List<FormError>();
        int Number(string field, string value, int min, int max)
        {
            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
            {
                return number;
            }

            errors.Add(new FormError(field, page.T("sim-bad-number", ("min", Formats.Number(min)), ("max", Formats.Number(max)))));
            return min;
        }

        var definition = workflows.TryGet(form.Workflow, out var found) ? found : null;
        if (definition is null)
        {
            errors.Add(new FormError("workflow", page.T("sim-bad-workflow")));
        }

        if (form.Project.Length > 0 && project is null)
        {
            errors.Add(new FormError("project", page.T("sim-bad-project")));
        }

        var participants = Number("participants", form.Participants, 1, MaxSimulatedParticipants);
        var weeks = Number("weeks", form.Weeks, 0, 104);
        var months = Number("months", form.Months, 1, 36);
        var email = Number("email", form.EmailRate, 0, 100);
        var sms = Number("sms", form.SmsRate, 0, 100);
        if (errors.Count == 0 && weeks * 7 >= RunDays(months))
        {
            errors.Add(new FormError("weeks", page.T("sim-weeks-past-end")));
        }

        form = form with { Errors = errors };
        ComponentPage<SimulationPage, SimulationView> Show(SimulationResult? result, int status) =>
            new(page with { Path = "/coordinator/simulate" }, new SimulationView(form, choices, [.. readable.Select(p => (p.Id, p.Name))], result), status);
        if (!query.ContainsKey("run") || errors.Count > 0)
        {
            return Show(null, errors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
        }

        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var calibration = project is null ? null : await services.GetRequiredService<ResponseHistory>().CalibrateAsync(project, page.User ?? "", cancellationToken);
        var profile = calibration?.Profile ?? ResponseProfile.PerChannel(new Dictionary<string, double>(StringComparer.Ordinal) { ["email"] = email / 100.0, ["sms"] = sms / 100.0 });
        // The cohort starts tomorrow at 09:00 in the workflow's zone; without a project, coaching runs a year.
        var tomorrow = Formats.DayOf(now).AddDays(1);
        var nine = tomorrow.ToDateTime(new TimeOnly(9, 0));
        var start = new DateTimeOffset(nine, definition!.Calendar.TimeZone.GetUtcOffset(nine));
        var end = project?.EndDate ?? tomorrow.AddYears(1);
        var options = new SimulationOptions
        {
            Participants = participants,
            EnrolmentWeeks = weeks,
            Start = start,
            Days = RunDays(months),
            Input = new JsonObject { ["project"] = new JsonObject { ["endDate"] = end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) } },
            Behaviour = new ParticipantBehaviour { Responses = profile, AnswerDelayMax = TimeSpan.FromDays(3) },
        };
        SimulationReport report;
        await OneRunAtATime.WaitAsync(cancellationToken);
        try
        {
            report = await Task.Run(() => Simulator.Run(definition, options, cancellationToken), cancellationToken);
        }
        finally
        {
            OneRunAtATime.Release();
        }

        var formCatalog = services.GetRequiredService<FormCatalog>();
        var titles = report.Forms.ToDictionary(f => f.Form, f => FormTitle(definition, formCatalog, f.Form, page.Language), StringComparer.Ordinal);
        return Show(new SimulationResult(report, titles, calibration, profile, end), StatusCodes.Status200OK);
    }

    // Months as days: 30.44 days each (a year is 365.25), whatever month the run starts in.
    private static int RunDays(int months) => (int)Math.Round(months * 365.25 / 12);

    // An Askel form by its title, a form kept elsewhere by its step's title.
    private static string FormTitle(WorkflowDefinition definition, FormCatalog forms, string name, string language) =>
        name.StartsWith("external:", StringComparison.Ordinal)
            ? definition.Steps.Values.OfType<ExternalStep>().FirstOrDefault(s => "external:" + s.Name == name)?.Label?.For(language) ?? name["external:".Length..]
            : forms.Find(name)?.Title.For(language) ?? name;
}
