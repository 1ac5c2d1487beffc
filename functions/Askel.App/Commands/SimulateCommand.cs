using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Askel.Runtime.Definitions;
using Askel.Runtime.Simulation;

namespace Askel.App.Commands;

/// <summary>
/// <c>askel simulate</c>: runs a workflow definition for synthetic participants on a virtual clock in memory
/// (the step function itself, no storage), and prints what it would send per day and channel, and how the instances end.
/// </summary>
public static partial class SimulateCommand
{
    /// <summary>The usage text.</summary>
    public const string Usage =
        "usage: askel simulate <workflow-file-or-name> [--participants 1000] [--days N] [--enrolment-weeks 26]\n" +
        "                      [--never-answer email=30%,sms=10%] [--answer-rate email=25%,sms=30%] [--missing sms=10%]\n" +
        "                      [--answer-delay 0-48h] [--task-outcome filled-together=60%,unreachable=40%]\n" +
        "                      [--task-delay 2d] [--seed 1] [--start 2027-01-04T09:00:00+02:00]";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Runs the command; returns 0 on success, 1 for an invalid workflow or a failed run, 2 for bad usage.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var stopwatch = Stopwatch.StartNew();

        Arguments parsed;
        try
        {
            parsed = Arguments.Parse(args);
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync($"askel simulate: {e.Message}\n{Usage}");
            return 2;
        }

        var (folder, name) = Locate(parsed.Workflow);
        if (!Directory.Exists(folder))
        {
            await error.WriteLineAsync($"askel simulate: there is no workflows folder '{folder}' (give a workflow file, or run from the repository root).\n{Usage}");
            return 2;
        }

        var catalog = WorkflowCatalog.Load(folder);
        if (!catalog.TryGet(name, out var definition))
        {
            var file = catalog.Files.FirstOrDefault(f => Path.GetFileNameWithoutExtension(f) == name);
            if (file is null)
            {
                await error.WriteLineAsync($"askel simulate: there is no workflow '{name}' in {folder} (found: {string.Join(", ", catalog.Names.Order(StringComparer.Ordinal))}).\n{Usage}");
                return 2;
            }

            // Its own problems, and those of the forms and messages beside it; not other workflows'.
            var problems = catalog.Validate().Where(e => e.IsError && (e.Location.File == file || !catalog.Files.Contains(e.Location.File))).ToArray();
            await error.WriteLineAsync($"askel simulate: {file} is not a valid workflow; fix these first:");
            foreach (var problem in problems)
            {
                await error.WriteLineAsync(problem.ToString());
            }

            return 1;
        }

        SimulationOptions options;
        try
        {
            options = parsed.ToOptions(definition);
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync($"askel simulate: {e.Message}\n{Usage}");
            return 2;
        }

        var report = Simulator.Run(definition, options, CancellationToken.None);
        await output.WriteAsync(Format(report, definition));
        await output.WriteLineAsync(string.Create(Invariant, $"simulated {report.Participants} participants over {report.Days} days in {stopwatch.Elapsed.TotalSeconds:0.0} s"));
        return 0;
    }

    /// <summary>The report as printed (everything but the last line, which carries the wall time).</summary>
    public static string Format(SimulationReport report, WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(definition);
        var zone = definition.Calendar.TimeZone;
        var local = TimeZoneInfo.ConvertTime(report.Start, zone);
        var text = new System.Text.StringBuilder();
        void Line(FormattableString line) => text.Append(line.ToString(Invariant)).Append('\n');

        Line($"{report.Workflow} (version {report.Version}): {report.Participants} participants from {local:ddd yyyy-MM-dd HH:mm} {zone.Id}");
        Line($"");
        Line($"sends per day");
        var header = string.Concat(report.Channels.Select(c => c.PadLeft(8)));
        Line($"{"day",5}  {"date",-14}{header}{"total",8}");
        foreach (var day in report.SendsPerDay)
        {
            Line($"{day.Day,5}  {day.Date.ToString("ddd yyyy-MM-dd", Invariant),-14}{string.Concat(day.ByChannel.Select(c => c.Value.ToString(Invariant).PadLeft(8)))}{day.Total,8}");
        }

        if (report.SendsPerDay.Count == 0)
        {
            Line($"  (no messages)");
        }

        Line($"{"total",5}  {"",-14}{string.Concat(report.Totals.Select(c => c.Value.ToString(Invariant).PadLeft(8)))}{report.TotalMessages,8}");
        Line($"");
        Line($"totals");
        Line($"  messages {report.TotalMessages} ({string.Join(", ", report.Totals.Select(t => $"{t.Key} {t.Value}"))}), {report.TasksOpened} coordinator tasks, {report.TotalMessages / (double)report.Participants:0.00} messages per participant");
        Line($"");
        Line($"final states");
        foreach (var state in report.FinalStates)
        {
            var status = state.Status.ToString().ToLowerInvariant();
            var detail = state.Status == Askel.Runtime.Engine.InstanceStatus.Waiting ? $"at {state.Detail}" : state.Detail;
            Line($"  {status,-10} {detail,-30} {state.Count,6}  {100.0 * state.Count / report.Participants,5:0.0} %");
        }

        Line($"{(report.AllFinishedOnDay is { } finished ? $"  every instance had finished by day {finished}" : "  some instances never finished")}");
        Line($"");
        Line($"capture rate per form");
        foreach (var form in report.Forms)
        {
            Line($"  {form.Form,-30} asked {form.Asked,6}  answered {form.Answered,6}  {form.RatePercent,5:0.0} %");
        }

        if (report.Forms.Count == 0)
        {
            Line($"  (no forms asked)");
        }

        Line($"");
        return text.ToString();
    }

    private static (string Folder, string Name) Locate(string workflow)
    {
        if (workflow.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || workflow.Contains('/', StringComparison.Ordinal) || File.Exists(workflow))
        {
            var folder = Path.GetDirectoryName(workflow);
            return (string.IsNullOrEmpty(folder) ? "." : folder, Path.GetFileNameWithoutExtension(workflow));
        }

        return ("workflows", workflow);
    }

    private sealed class UsageException(string message) : Exception(message);

    private sealed record Arguments(string Workflow, IReadOnlyDictionary<string, string> Options)
    {
        private static readonly string[] Known =
            ["--participants", "--days", "--enrolment-weeks", "--never-answer", "--answer-rate", "--missing", "--answer-delay", "--task-outcome", "--task-delay", "--seed", "--start", "--input"];

        public static Arguments Parse(IReadOnlyList<string> args)
        {
            string? workflow = null;
            var options = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < args.Count; i++)
            {
                var arg = args[i];
                if (arg.StartsWith("--", StringComparison.Ordinal))
                {
                    var (key, value) = arg.Split('=', 2) is [var k, var v] ? (k, (string?)v) : (arg, null);
                    if (!Known.Contains(key))
                    {
                        throw new UsageException($"unknown option '{key}'.");
                    }

                    if (value is null)
                    {
                        if (i + 1 >= args.Count)
                        {
                            throw new UsageException($"{key} needs a value.");
                        }

                        value = args[++i];
                    }

                    if (!options.TryAdd(key, value))
                    {
                        throw new UsageException($"{key} is given twice.");
                    }
                }
                else if (workflow is null)
                {
                    workflow = arg;
                }
                else
                {
                    throw new UsageException($"unexpected argument '{arg}': give one workflow.");
                }
            }

            return new(workflow ?? throw new UsageException("give a workflow file (workflows/x.yaml) or name."), options);
        }

        public SimulationOptions ToOptions(WorkflowDefinition definition)
        {
            var defaults = new SimulationOptions();
            var behaviour = new ParticipantBehaviour
            {
                NeverAnswer = ChannelPercentages("--never-answer", definition),
                // --answer-rate: the share of each channel's messages answered, as the simulation page asks it.
                Responses = Get("--answer-rate") is null ? null : ResponseProfile.PerChannel(ChannelPercentages("--answer-rate", definition)),
                TaskOutcomes = TaskOutcomes(definition),
                TaskDelay = Get("--task-delay") is { } taskDelay ? Duration("--task-delay", taskDelay) : new ParticipantBehaviour().TaskDelay,
                Seed = Get("--seed") is { } seed ? Integer("--seed", seed, int.MinValue, int.MaxValue) : 1,
            };
            if (Get("--answer-delay") is { } delay)
            {
                var parts = DelayRange().Match(delay);
                if (!parts.Success)
                {
                    throw new UsageException($"--answer-delay '{delay}' is not a range: write e.g. 0-48h, 1-3d or 12h.");
                }

                var unit = parts.Groups["unit"].Value;
                var min = Duration("--answer-delay", parts.Groups["min"].Value + unit);
                var max = parts.Groups["max"].Success ? Duration("--answer-delay", parts.Groups["max"].Value + unit) : min;
                if (max < min)
                {
                    throw new UsageException($"--answer-delay '{delay}': the end is before the start.");
                }

                behaviour = behaviour with { AnswerDelayMin = min, AnswerDelayMax = max };
            }

            DateTimeOffset start = defaults.Start;
            if (Get("--start") is { } startText &&
                !DateTimeOffset.TryParse(startText, Invariant, DateTimeStyles.None, out start))
            {
                throw new UsageException($"--start '{startText}' is not a date and time: write e.g. 2027-01-04T09:00:00+02:00.");
            }

            var days = Get("--days") is { } d ? Integer("--days", d, 1, 3650) : defaults.Days;
            var weeks = Get("--enrolment-weeks") is { } w ? Integer("--enrolment-weeks", w, 0, 520) : 0;
            if (weeks > 0 && weeks * 7 >= days)
            {
                throw new UsageException($"--enrolment-weeks {weeks} does not end before the run's {days} days do: give fewer weeks or more --days.");
            }

            return new SimulationOptions
            {
                Participants = Get("--participants") is { } n ? Integer("--participants", n, 1, 100_000) : defaults.Participants,
                Days = days,
                EnrolmentWeeks = weeks,
                Start = start,
                Missing = ChannelPercentages("--missing", definition),
                Behaviour = behaviour,
                Input = Input(),
            };
        }

        /// <summary><c>--input a.b=text,c=text</c>: values every instance starts with (e.g. the project's end date).</summary>
        private System.Text.Json.Nodes.JsonObject Input()
        {
            var input = new System.Text.Json.Nodes.JsonObject();
            foreach (var pair in (Get("--input") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (pair.Split('=', 2) is not [var path, var value] || path.Length == 0 || path.Split('.').Any(p => p.Length == 0))
                {
                    throw new UsageException($"--input '{pair}' is not name=value: write e.g. project.endDate=2027-06-30.");
                }

                var node = input;
                var names = path.Split('.');
                foreach (var name in names[..^1])
                {
                    if (node[name] is not System.Text.Json.Nodes.JsonObject child)
                    {
                        node[name] = child = [];
                    }

                    node = child;
                }

                node[names[^1]] = value;
            }

            return input;
        }

        private string? Get(string key) => Options.GetValueOrDefault(key);

        private Dictionary<string, double> ChannelPercentages(string key, WorkflowDefinition definition)
        {
            var result = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (channel, probability) in Percentages(key))
            {
                if (!definition.Channels.Contains(channel))
                {
                    throw new UsageException($"{key}: '{channel}' is not a channel of {definition.Name} (its channels: {string.Join(", ", definition.Channels)}).");
                }

                result[channel] = probability;
            }

            return result;
        }

        private KeyValuePair<string, double>[] TaskOutcomes(WorkflowDefinition definition)
        {
            var outcomes = definition.Steps.Values.OfType<TaskStep>().SelectMany(t => t.Outcomes.Keys).ToHashSet(StringComparer.Ordinal);
            var result = Percentages("--task-outcome").ToArray();
            foreach (var (outcome, _) in result)
            {
                if (!outcomes.Contains(outcome))
                {
                    throw new UsageException($"--task-outcome: '{outcome}' is not an outcome of any task in {definition.Name} (its outcomes: {(outcomes.Count == 0 ? "none" : string.Join(", ", outcomes.Order(StringComparer.Ordinal)))}).");
                }
            }

            if (result.Sum(r => r.Value) > 1.0000001)
            {
                throw new UsageException("--task-outcome: the percentages add up to more than 100%.");
            }

            return result;
        }

        private IEnumerable<KeyValuePair<string, double>> Percentages(string key)
        {
            if (Get(key) is not { } text)
            {
                yield break;
            }

            foreach (var item in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var match = Percentage().Match(item);
                if (!match.Success)
                {
                    throw new UsageException($"{key}: '{item}' is not name=percent: write e.g. email=30%.");
                }

                var value = double.Parse(match.Groups["value"].Value, Invariant);
                if (value > 100)
                {
                    throw new UsageException($"{key}: '{item}' is more than 100%.");
                }

                yield return KeyValuePair.Create(match.Groups["name"].Value, value / 100);
            }
        }

        private static int Integer(string key, string text, int min, int max) =>
            int.TryParse(text, NumberStyles.AllowLeadingSign, Invariant, out var value) && value >= min && value <= max
                ? value
                : throw new UsageException($"{key} '{text}' is not a whole number from {min} to {max}.");

        private static TimeSpan Duration(string key, string text)
        {
            var match = DurationPattern().Match(text);
            if (!match.Success)
            {
                throw new UsageException($"{key} '{text}' is not a duration: write e.g. 48h, 2d or 30m.");
            }

            var amount = double.Parse(match.Groups["amount"].Value, Invariant);
            return match.Groups["unit"].Value switch
            {
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            };
        }
    }

    [GeneratedRegex(@"^(?<name>[a-z0-9][a-z0-9-]*)=(?<value>\d+(\.\d+)?)%?$", RegexOptions.CultureInvariant)]
    private static partial Regex Percentage();

    [GeneratedRegex(@"^(?<min>\d+(\.\d+)?)(-(?<max>\d+(\.\d+)?))?(?<unit>[mhd])$", RegexOptions.CultureInvariant)]
    private static partial Regex DelayRange();

    [GeneratedRegex(@"^(?<amount>\d+(\.\d+)?)(?<unit>[mhd])$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}
