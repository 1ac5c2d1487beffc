using System.Diagnostics;
using System.Globalization;
using Askel.App.Coordinator;
using Askel.App.Forms;
using Askel.Runtime.Definitions;
using Askel.Runtime.Simulation;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Askel.Bench;

/// <summary>
/// <c>bench/run.sh simulate</c>: how many participant-months per second <c>askel simulate</c> runs (the step function in
/// memory, instances in parallel), against the same run on one thread, and against the target of 1,000 participants ×
/// 14 months in 10 s; then the simulation page's whole answer for the same cohort (the form read, the run, the page
/// rendered to HTML) against that target.
/// </summary>
internal static class SimulateBench
{
    private const double TargetParticipantMonthsPerSecond = 1000 * 14 / 10.0;

    public static int Run(string[] args)
    {
        var participants = args is ["--participants", var n] && int.TryParse(n, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1000;
        if (args.Length > 0 && participants == 1000 && args is not ["--participants", "1000"])
        {
            Console.Error.WriteLine("usage: Askel.Bench.Simulate [--participants N]");
            return 2;
        }

        var definition = WorkflowCatalog.Load("workflows").Get("participant-lifecycle");
        // 14 months of a lifecycle in which a third never answer on a channel and coordinators resolve most tasks.
        var options = new SimulationOptions
        {
            Participants = participants,
            Days = 426,
            Input = new() { ["project"] = new System.Text.Json.Nodes.JsonObject { ["endDate"] = "2027-08-31" } },
            Behaviour = new ParticipantBehaviour
            {
                NeverAnswer = new Dictionary<string, double>(StringComparer.Ordinal) { ["sms"] = 0.35, ["email"] = 0.35 },
                AnswerDelayMax = TimeSpan.FromDays(4),
            },
        };
        var months = participants * 14.0;
        Console.WriteLine(Inv($"Askel.Bench.Simulate: {definition.Name} version {definition.Version}, {participants} participants × 14 months, {Environment.ProcessorCount} cores, load {StorageProcess.LoadAverage()}"));
        Simulator.Run(definition, options with { Participants = Math.Min(50, participants) }, CancellationToken.None); // warm-up: JIT, parsed expressions

        var parallel = Median(3, () => Simulator.Run(definition, options, CancellationToken.None));
        var single = Median(3, () => Simulator.Run(definition, options, CancellationToken.None, maxParallelism: 1));
        Console.WriteLine(Inv($"{"run",-14} {"seconds",8} {"participant-months/s",21}"));
        Console.WriteLine(Inv($"{"parallel",-14} {parallel,8:0.000} {months / parallel,21:0}"));
        Console.WriteLine(Inv($"{"one thread",-14} {single,8:0.000} {months / single,21:0}"));
        Console.WriteLine(Inv($"parallel/one-thread ratio: {single / parallel:0.00}"));
        Console.WriteLine(Inv($"simulate/target ratio: {months / parallel / TargetParticipantMonthsPerSecond:0.00} (target: 1,000 participants × 14 months in 10 s)"));

        var page = Median(3, () => SimulationPage(participants));
        Console.WriteLine(Inv($"{"page",-14} {page,8:0.000} {months / page,21:0}"));
        Console.WriteLine(Inv($"page/target ratio: {months / page / TargetParticipantMonthsPerSecond:0.00} (the page's answer: {participants} participants enrolled over 26 weeks, 14 months, rendered)"));
        return 0;
    }

    // The simulation page as a manager runs it (hand-chosen rates, so no storage), rendered to the HTML the response carries.
    private static void SimulationPage(int participants)
    {
        using var services = new ServiceCollection()
            .AddSingleton(WorkflowCatalog.Load("workflows"))
            .AddSingleton(FormCatalog.Load("workflows"))
            .AddSingleton(TimeProvider.System)
            .AddLogging()
            .BuildServiceProvider();
        using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        var query = new QueryCollection(new Dictionary<string, StringValues>
        {
            ["workflow"] = "participant-lifecycle", ["participants"] = participants.ToString(CultureInfo.InvariantCulture), ["weeks"] = "26", ["months"] = "14",
            ["email"] = "25", ["sms"] = "30", ["run"] = "1",
        });
        var html = Task.Run(async () =>
        {
            var answer = await CoordinatorPages.SimulationPageAsync(new PageContext("en", "/coordinator/simulate", "bench", null), query, [], services, CancellationToken.None);
            return await answer.RenderAsync(renderer);
        }).GetAwaiter().GetResult();
        if (!html.Contains(Inv($"{participants} participants: "), StringComparison.Ordinal) || !html.Contains("<svg class=\"weekly\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The simulation page did not show a run.");
        }
    }

    private static double Median(int runs, Action run)
    {
        var seconds = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            run();
            seconds.Add(clock.Elapsed.TotalSeconds);
        }

        return seconds.Order().ElementAt(runs / 2);
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
