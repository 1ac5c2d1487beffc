using Askel.Runtime.Expressions;

namespace Askel.Runtime.Definitions;

/// <summary>
/// The semantic checks of a workflow: every step reference resolves, every step is reachable from the
/// start and the workflow can always still end, schedules make sense, channels are declared, expressions
/// parse, and the forms and message templates it uses exist in every declared language.
/// </summary>
public static partial class WorkflowValidator
{
    /// <summary>A fixed instant durations are compared at (calendar units differ in length; the order must hold here).</summary>
    public static DateTimeOffset ComparisonInstant { get; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Checks <paramref name="definition"/>; <paramref name="locations"/> says where its parts were written.
    /// With <paramref name="resources"/>, forms and message templates are checked too.
    /// </summary>
    public static IReadOnlyList<DefinitionError> Validate(WorkflowDefinition definition, DefinitionLocations locations, IWorkflowResources? resources)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(locations);
        return Validate(definition, locations, resources, [.. definition.Steps.Keys], checkGraph: true);
    }

    /// <summary>
    /// The checks, with every declared step id (<paramref name="stepIds"/>, including steps too broken to
    /// load) and whether the step graph is complete enough for the reachability checks.
    /// </summary>
    internal static IReadOnlyList<DefinitionError> Validate(
        WorkflowDefinition definition, DefinitionLocations locations, IWorkflowResources? resources, IReadOnlyList<string> stepIds, bool checkGraph)
    {
        var check = new Checks(definition, locations, stepIds);
        check.Title();
        check.References();
        check.Schedules();
        check.Expressions();
        if (resources is not null)
        {
            new FileChecks(definition, locations, resources, check.Errors).Run();
        }

        if (checkGraph && check.Errors.Count(e => e.IsError) == 0)
        {
            check.Graph();
        }

        return DefinitionError.Sort(check.Errors);
    }

    private sealed class Checks(WorkflowDefinition definition, DefinitionLocations locations, IReadOnlyList<string> stepIds)
    {
        public List<DefinitionError> Errors { get; } = [];

        public void Title()
        {
            var missing = definition.Languages.Where(l => !definition.Title.Texts.ContainsKey(l)).ToList();
            if (missing.Count > 0 && locations.Has("title"))
            {
                Errors.Add(new(
                    locations.Of("title"),
                    $"the title has no text in {string.Join(", ", missing)} (declared in 'languages')",
                    $"add {string.Join(", ", missing.Select(l => l + ": …"))} to the title",
                    DefinitionSeverity.Warning));
            }
        }

        public void References()
        {
            if (locations.Has("start"))
            {
                Reference("start", definition.Start, "start");
            }

            foreach (var step in definition.Steps.Values)
            {
                foreach (var (path, field, target) in Fields(step))
                {
                    Reference(path, target, field);
                }
            }
        }

        /// <summary>Each step reference: where it was written, what it is called, and the id it names.</summary>
        private static IEnumerable<(string Path, string Field, string Target)> Fields(Step step)
        {
            var path = "steps." + step.Id;
            switch (step)
            {
                case AskStep ask:
                    yield return (path + ".next", "next", ask.Next);
                    yield return (path + ".onExpired", "onExpired", ask.OnExpired);
                    break;
                case ExternalStep external:
                    yield return (path + ".next", "next", external.Next);
                    yield return (path + ".onExpired", "onExpired", external.OnExpired);
                    break;
                case TaskStep task:
                    foreach (var (outcome, target) in task.Outcomes)
                    {
                        yield return ($"{path}.outcomes.{outcome}", $"outcome '{outcome}'", target);
                    }

                    break;
                case WaitStep wait:
                    yield return (path + ".next", "next", wait.Next);
                    break;
                case WaitForEventStep waitFor:
                    yield return (path + ".next", "next", waitFor.Next);
                    if (waitFor.OnTimeout is not null)
                    {
                        yield return (path + ".onTimeout", "onTimeout", waitFor.OnTimeout);
                    }

                    break;
                case ChooseStep choose:
                    for (var i = 0; i < choose.Branches.Count; i++)
                    {
                        yield return ($"{path}.branch[{i}].next", "next", choose.Branches[i].Next);
                    }

                    yield return (path + ".otherwise", "otherwise", choose.Otherwise);
                    break;
                case SendStep send:
                    yield return (path + ".next", "next", send.Next);
                    break;
                default:
                    break;
            }
        }

        private void Reference(string path, string target, string field)
        {
            if (target.Length == 0 || stepIds.Contains(target))
            {
                return;
            }

            Errors.Add(new(
                locations.Of(path),
                $"unknown step '{target}' in {field}{Suggestions.DidYouMean(target, stepIds)}",
                "use one of the step ids: " + string.Join(", ", stepIds)));
        }

        public void Schedules()
        {
            foreach (var step in definition.Steps.Values)
            {
                var path = "steps." + step.Id;
                var (attempts, expires) = step is ChasedStep chased ? (chased.Attempts, chased.Expires) : (null, null);

                if (step is SendStep { Via: { } sendVia })
                {
                    Channel(sendVia, path + ".via");
                }

                if (attempts is null || expires is null)
                {
                    continue;
                }

                var indexes = AttemptIndexes(path, attempts.Count);
                DateTimeOffset? previous = null;
                for (var i = 0; i < attempts.Count; i++)
                {
                    var attemptPath = $"{path}.attempts[{indexes[i]}]";
                    if (attempts[i].Via is { } via)
                    {
                        Channel(via, attemptPath);
                    }

                    var at = attempts[i].After.AddTo(ComparisonInstant, definition.Calendar.TimeZone);
                    if (previous is { } before && at <= before)
                    {
                        Errors.Add(new(
                            locations.Of(attemptPath),
                            $"attempt '{attempts[i].After}' is not later than the attempt before it ('{attempts[i - 1].After}')",
                            "list attempts in order, each later than the one before, e.g. [P0D via sms, P3D via email, P7D via sms]"));
                    }

                    previous = at;
                }

                if (attempts.Count > 0 && locations.Has(path + ".expires")
                    && expires.AddTo(ComparisonInstant, definition.Calendar.TimeZone) <= attempts[^1].After.AddTo(ComparisonInstant, definition.Calendar.TimeZone))
                {
                    Errors.Add(new(
                        locations.Of(path + ".expires"),
                        $"'expires: {expires}' is not after the last attempt ('{attempts[^1].After}'), so the last reminder would come too late",
                        $"make 'expires' longer than {attempts[^1].After}, e.g. a few days after it"));
                }
            }
        }

        /// <summary>The list positions of the attempts that loaded (bad ones were reported and left out).</summary>
        private int[] AttemptIndexes(string path, int count)
        {
            var indexes = new List<int>();
            for (var i = 0; indexes.Count < count && i < count + 1000; i++)
            {
                if (!locations.Has($"{path}.attempts[{i}].invalid"))
                {
                    indexes.Add(i);
                }
            }

            return [.. indexes];
        }

        private void Channel(string via, string path)
        {
            if (!definition.Channels.Contains(via))
            {
                Errors.Add(new(
                    locations.Of(path),
                    $"channel '{via}' is not in the workflow's 'channels' ({string.Join(", ", definition.Channels)})",
                    $"add {via} to 'channels', or use one of: {string.Join(", ", definition.Channels)}"));
            }
        }

        public void Expressions()
        {
            foreach (var step in definition.Steps.Values)
            {
                var path = "steps." + step.Id;
                if (step is WaitStep { Until: { } until })
                {
                    Expression(until, path + ".until");
                }

                if (step is WaitForEventStep { Deadline: { } deadline })
                {
                    Expression(deadline, path + ".deadline");
                }

                if (step is ChooseStep choose)
                {
                    foreach (var branch in choose.Branches)
                    {
                        Expression(branch.When, null, branch.Location);
                    }
                }
            }
        }

        private void Expression(string text, string? path, SourceLocation? at = null)
        {
            var start = at ?? locations.Of(path!);
            try
            {
                _ = Askel.Runtime.Expressions.Expression.Parse(text);
            }
            catch (ExpressionSyntaxException e)
            {
                var singleLine = !text.Contains('\n', StringComparison.Ordinal);
                var location = singleLine ? start with { Column = start.Column + Math.Max(0, e.Position) } : start;
                Errors.Add(new(
                    location,
                    $"the expression '{text}' is not well formed at character {e.Position + 1}: {e.Message}",
                    "see the expression reference in docs/WORKFLOWS.md; quote the whole expression, e.g. \"forms['exit-form'].answers.status == 'employed'\""));
            }
        }

        public void Graph()
        {
            var steps = definition.Steps;
            if (!steps.ContainsKey(definition.Start))
            {
                return;
            }

            var reachable = new HashSet<string>(StringComparer.Ordinal);
            var queue = new Queue<string>([definition.Start]);
            while (queue.TryDequeue(out var id))
            {
                if (steps.TryGetValue(id, out var step) && reachable.Add(id))
                {
                    foreach (var target in step.Targets)
                    {
                        queue.Enqueue(target);
                    }
                }
            }

            foreach (var step in steps.Values.Where(s => !reachable.Contains(s.Id)))
            {
                Errors.Add(new(
                    step.Location,
                    $"step '{step.Id}' can never be reached from the start step '{definition.Start}'",
                    $"point a 'next', 'onExpired', 'onTimeout', outcome or branch at '{step.Id}', or remove it"));
            }

            // Which steps can still reach an end: walk backwards from the end steps.
            var canEnd = new HashSet<string>(steps.Values.OfType<EndStep>().Select(s => s.Id), StringComparer.Ordinal);
            for (var grew = true; grew;)
            {
                grew = false;
                foreach (var step in steps.Values.Where(s => !canEnd.Contains(s.Id) && s.Targets.Any(canEnd.Contains)))
                {
                    grew |= canEnd.Add(step.Id);
                }
            }

            if (!canEnd.Contains(definition.Start))
            {
                Errors.Add(new(
                    locations.Of("steps"),
                    $"no end step can be reached from the start step '{definition.Start}', so the workflow could never finish",
                    "add a step like 'done: { end: completed }' and lead to it, e.g. with 'next: done'"));
                return;
            }

            foreach (var step in steps.Values.Where(s => reachable.Contains(s.Id) && !canEnd.Contains(s.Id)))
            {
                Errors.Add(new(
                    step.Location,
                    $"once at step '{step.Id}', the workflow can never reach an end step (it loops forever)",
                    "give one of the steps in the loop a way out to an end step, e.g. an 'onTimeout' or an outcome"));
            }
        }
    }
}
