using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Askel.Runtime.Calendar;

namespace Askel.Runtime.Definitions;

/// <summary>
/// Reads a workflow file (<c>workflows/&lt;name&gt;.yaml</c>, the format in docs/WORKFLOWS.md) into a
/// <see cref="WorkflowDefinition"/>. Never throws on bad input: every problem comes back as a
/// <see cref="DefinitionError"/> with its file, line and column and a fix.
/// </summary>
public static partial class WorkflowLoader
{
    /// <summary>The language codes a workflow may declare.</summary>
    public static IReadOnlyList<string> AllowedLanguages { get; } = ["fi", "sv", "en", "uk", "ru", "ar", "so", "fa"];

    /// <summary>The channels a workflow may use.</summary>
    public static IReadOnlyList<string> AllowedChannels { get; } = ["sms", "email"];

    /// <summary>The keys of a step that say what kind it is; exactly one (<c>wait</c> or <c>until</c> count as one kind).</summary>
    public static IReadOnlyList<string> KindKeys { get; } = ["ask", "external", "task", "wait", "until", "waitFor", "choose", "send", "end"];

    private static readonly string[] TopKeys = ["workflow", "title", "languages", "calendar", "channels", "start", "steps"];
    private static readonly string[] CalendarKeys = ["timeZone", "quietHours", "holidays"];
    private static readonly string[] OutcomeKeys = ["next", "title"];

    private static readonly Dictionary<string, string[]> StepKeys = new(StringComparer.Ordinal)
    {
        ["ask"] = ["ask", "message", "attempts", "expires", "onExpired", "next", "countsContactAttempts", "title"],
        ["external"] = ["external", "url", "message", "attempts", "expires", "onExpired", "next", "reports", "countsContactAttempts", "title"],
        ["task"] = ["task", "outcomes", "reports", "received", "due", "escalate"],
        ["wait"] = ["wait", "next", "title"],
        ["until"] = ["until", "next", "title"],
        ["waitFor"] = ["waitFor", "timeout", "deadline", "onTimeout", "checkIn", "next", "title"],
        ["choose"] = ["choose"],
        ["send"] = ["send", "via", "optional", "next", "title"],
        ["end"] = ["end", "title"],
    };

    /// <summary>
    /// Loads and validates a workflow. <paramref name="file"/> is the path shown in messages, and its name
    /// (without <c>.yaml</c>) must equal <c>workflow:</c>. With <paramref name="resources"/>, the forms and
    /// message templates it uses are checked too.
    /// </summary>
    public static WorkflowLoadResult Load(string source, string file, IWorkflowResources? resources)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(file);
        // The checks read the forms and messages, and the definition keeps their texts: one read of each file serves both.
        resources = resources is null ? null : new ReadOnce(resources);
        var errors = new List<DefinitionError>();
        var root = YamlTree.Read(source, file, errors);
        if (root is null)
        {
            return new(null, DefinitionError.Sort(errors));
        }

        var builder = new Builder(file, errors);
        var definition = builder.Build(root, source);
        if (definition is not null)
        {
            var structurallySound = errors.Count == 0;
            errors.AddRange(WorkflowValidator.Validate(definition, builder.Locations, resources, builder.DeclaredStepIds, structurallySound));
        }

        var sorted = DefinitionError.Sort(errors);
        if (sorted.Any(e => e.IsError))
        {
            return new(null, sorted);
        }

        return new(resources is null || definition is null ? definition : WithResources(definition, resources), sorted);
    }

    /// <summary>
    /// The definition with the texts of its forms and messages (checked to exist), its version made over them too: a new
    /// message text is a new version, which only instances started after it run.
    /// </summary>
    private static WorkflowDefinition WithResources(WorkflowDefinition definition, IWorkflowResources resources)
    {
        var texts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var form in definition.Forms)
        {
            texts[WorkflowDefinition.FormKey(form)] = resources.ReadText(resources.FormPath(form)) ?? "";
        }

        foreach (var message in definition.Messages)
        {
            texts[WorkflowDefinition.MessageKey(message)] = resources.ReadText(resources.MessagePath(message)) ?? "";
        }

        var whole = new StringBuilder(definition.Source);
        foreach (var (key, text) in texts)
        {
            whole.Append("\n\u0000").Append(key).Append('\n').Append(text);
        }

        return definition with { Version = VersionOf(whole.ToString()), Resources = texts };
    }

    /// <summary>Loads the workflow file at <paramref name="path"/> (shown as <paramref name="displayPath"/>, default the path itself).</summary>
    public static WorkflowLoadResult LoadFile(string path, IWorkflowResources? resources, string? displayPath = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var shown = displayPath ?? path;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > YamlTree.MaxBytes * 4L)
            {
                return new(null, [new(new(shown, 1, 1), $"the file is too large ({info.Length / 1024} KiB; at most {YamlTree.MaxBytes / 1024} KiB is read)", "split it into several workflows, or remove what is not needed")]);
            }

            return Load(File.ReadAllText(path), shown, resources);
        }
        catch (IOException e)
        {
            return new(null, [new(new(shown, 1, 1), "the file cannot be read: " + e.Message, "check that it exists and is readable")]);
        }
        catch (UnauthorizedAccessException e)
        {
            return new(null, [new(new(shown, 1, 1), "the file cannot be read: " + e.Message, "check its permissions")]);
        }
    }

    /// <summary>
    /// Reloads a version an instance pinned (its stored <see cref="WorkflowDefinition.Source"/>), without
    /// checking forms and message files, which may have changed since.
    /// </summary>
    public static WorkflowLoadResult LoadPinned(string source, string file) => Load(source, file, resources: null);

    /// <summary>The version of a source text: the first 16 lowercase hex digits of the SHA-256 of its UTF-8 bytes.</summary>
    public static string VersionOf(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)))[..16];
    }

    [GeneratedRegex("^[a-z0-9-]+$", RegexOptions.CultureInvariant)]
    internal static partial Regex NamePattern();

    [GeneratedRegex("^[a-z0-9:-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex EventPattern();

    [GeneratedRegex(@"^(?<duration>\S+)(?:\s+via\s+(?<channel>\S+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex AttemptPattern();

    [GeneratedRegex(@"^(?<duration>\S+)\s+to\s+(?<to>coordinator|managers)$", RegexOptions.CultureInvariant)]
    private static partial Regex EscalationPattern();

    [GeneratedRegex(@"^(?<start>\d{2}:\d{2})-(?<end>\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex QuietHoursPattern();

    /// <summary>Builds the model from the node tree, recording problems and where every value was written.</summary>
    private sealed class Builder(string file, List<DefinitionError> errors)
    {
        public DefinitionLocations Locations { get; } = new(file);

        public List<string> DeclaredStepIds { get; } = [];

        public WorkflowDefinition? Build(YamlNodeBase root, string source)
        {
            if (root is not YamlMap map)
            {
                Error(root, "a workflow file must be a map of keys (workflow:, title:, steps: …)", "start the file with 'workflow: <name>'");
                return null;
            }

            CheckKeys(map, TopKeys, "the workflow", "");
            var expectedName = Path.GetFileNameWithoutExtension(file);
            var name = RequiredName(map, "workflow", "workflow", "the workflow's name", NamePattern(), "lowercase letters, digits and '-', e.g. exit-chase");
            if (name is not null && name != expectedName)
            {
                Error(map["workflow"]!, $"the workflow is named '{name}' but its file is '{Path.GetFileName(file)}'", $"write 'workflow: {expectedName}', or rename the file to {name}.yaml");
            }

            var title = Title(map);
            var languages = Codes(map, "languages", AllowedLanguages, "language", "[fi, sv, en]");
            var channels = Codes(map, "channels", AllowedChannels, "channel", "[sms, email]");
            var calendar = Calendar(map["calendar"]);
            var steps = Steps(map);
            var start = map["start"] is { } startNode ? Text(startNode, "start", "the start step", "an id from steps:") : null;
            start ??= steps.Count > 0 ? steps.Keys.First() : DeclaredStepIds.FirstOrDefault() ?? "";

            return new WorkflowDefinition(
                name ?? expectedName,
                VersionOf(source),
                title,
                languages,
                calendar,
                channels,
                start,
                steps,
                source);
        }

        private LocalizedText Title(YamlMap map)
        {
            var node = map["title"];
            if (node is null)
            {
                Error(map, "the workflow has no 'title'", "add e.g. 'title: { fi: Poistumislomakkeen keruu, en: Collecting the exit form }'");
                return new(new Dictionary<string, string>());
            }

            return Localized(node, "title", "the title", requireFiEn: false) ?? new(new Dictionary<string, string>());
        }

        private LocalizedText? Localized(YamlNodeBase node, string path, string what, bool requireFiEn)
        {
            Locations.Set(path, node.Location(file));
            if (node is not YamlMap map)
            {
                Error(node, $"{what} must be a map of language → text", $"write e.g. '{{ fi: …, en: … }}'");
                return null;
            }

            var texts = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in map.Entries)
            {
                if (!AllowedLanguages.Contains(key.Value))
                {
                    Error(key, $"'{key.Value}' is not a language code{Suggestions.DidYouMean(key.Value, AllowedLanguages)}", "use one of: " + string.Join(", ", AllowedLanguages));
                    continue;
                }

                if (Text(value, $"{path}.{key.Value}", $"{what} in '{key.Value}'", "the text") is { } text)
                {
                    if (text.Trim().Length == 0)
                    {
                        Error(value, $"{what} in '{key.Value}' is empty", "write the text, or remove the language");
                        continue;
                    }

                    texts[key.Value] = text;
                }
            }

            if (texts.Count == 0 && map.Entries.Count == 0)
            {
                Error(node, $"{what} has no text", "write e.g. '{ fi: …, en: … }'");
            }

            if (requireFiEn)
            {
                foreach (var language in new[] { "fi", "en" }.Where(l => map[l] is null))
                {
                    Error(node, $"{what} has no '{language}' text (coordinators read it in Finnish or English)", $"add '{language}: …'");
                }
            }

            return new(texts);
        }

        private List<string> Codes(YamlMap map, string key, IReadOnlyList<string> allowed, string what, string example)
        {
            var result = new List<string>();
            if (RequiredNonEmpty<YamlList>(map, key, key, "the workflow", "a non-empty list", example) is not { } list)
            {
                return result;
            }

            for (var i = 0; i < list.Items.Count; i++)
            {
                var code = Text(list.Items[i], $"{key}[{i}]", $"a {what}", "one of " + string.Join(", ", allowed));
                if (code is null)
                {
                    continue;
                }

                if (!allowed.Contains(code))
                {
                    Error(list.Items[i], $"'{code}' is not a {what}{Suggestions.DidYouMean(code, allowed)}", "use one of: " + string.Join(", ", allowed));
                }
                else if (result.Contains(code))
                {
                    Error(list.Items[i], $"'{code}' is listed twice in '{key}'", "list it once");
                }
                else
                {
                    result.Add(code);
                }
            }

            return result;
        }

        private CalendarPolicy Calendar(YamlNodeBase? node)
        {
            var policy = CalendarPolicy.Default;
            if (node is null)
            {
                return policy;
            }

            Locations.Set("calendar", node.Location(file));
            if (node is not YamlMap map)
            {
                Error(node, "'calendar' must be a map", "write e.g. 'calendar: { timeZone: Europe/Helsinki, quietHours: \"21:00-08:00\", holidays: finnish }'");
                return policy;
            }

            CheckKeys(map, CalendarKeys, "'calendar'", "calendar");
            if (map["timeZone"] is { } zoneNode && Text(zoneNode, "calendar.timeZone", "the time zone", "Europe/Helsinki") is { } zoneId)
            {
                try
                {
                    policy = policy with { TimeZone = TimeZoneInfo.FindSystemTimeZoneById(zoneId) };
                }
                catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
                {
                    Error(zoneNode, $"'{zoneId}' is not a known time zone", "use an IANA time zone id such as Europe/Helsinki");
                }
            }

            if (map["quietHours"] is { } quietNode && Text(quietNode, "calendar.quietHours", "the quiet hours", "\"21:00-08:00\"", allowEmpty: true) is { } quiet)
            {
                if (ParseQuietHours(quiet) is { } hours)
                {
                    policy = policy with { QuietStart = hours.Start, QuietEnd = hours.End };
                }
                else
                {
                    Error(quietNode, $"'{quiet}' is not a quiet-hours range", "write \"HH:mm-HH:mm\" with different times, e.g. \"21:00-08:00\", or \"\" for no quiet hours");
                }
            }

            if (map["holidays"] is { } holidaysNode && Text(holidaysNode, "calendar.holidays", "the holidays", "finnish") is { } holidays)
            {
                switch (holidays)
                {
                    case "finnish":
                        policy = policy with { SkipHolidays = true };
                        break;
                    case "none":
                        policy = policy with { SkipHolidays = false };
                        break;
                    default:
                        Error(holidaysNode, $"'{holidays}' is not a holiday calendar{Suggestions.DidYouMean(holidays, ["finnish", "none"])}", "use 'finnish' (hold messages on Finnish public holidays) or 'none'");
                        break;
                }
            }

            return policy;
        }

        /// <summary>"HH:mm-HH:mm" (start ≠ end), or "" for none (start = end = 00:00).</summary>
        private static (TimeOnly Start, TimeOnly End)? ParseQuietHours(string text)
        {
            if (text.Trim().Length == 0)
            {
                return (TimeOnly.MinValue, TimeOnly.MinValue);
            }

            var match = QuietHoursPattern().Match(text.Trim());
            if (!match.Success
                || !TimeOnly.TryParseExact(match.Groups["start"].Value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
                || !TimeOnly.TryParseExact(match.Groups["end"].Value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end)
                || start == end)
            {
                return null;
            }

            return (start, end);
        }

        private OrderedDictionary<string, Step> Steps(YamlMap map)
        {
            var steps = new OrderedDictionary<string, Step>(StringComparer.Ordinal);
            var node = map["steps"];
            if (node is null)
            {
                Error(map, "the workflow has no 'steps'", "add 'steps:' with at least one step, e.g. 'done: { end: completed }'");
                return steps;
            }

            Locations.Set("steps", node.Location(file));
            if (node is not YamlMap stepsMap || stepsMap.Entries.Count == 0)
            {
                Error(node, "'steps' must be a map of step id → step, with at least one step", "write e.g. 'steps:' and below it 'done: { end: completed }'");
                return steps;
            }

            foreach (var (key, _) in stepsMap.Entries)
            {
                DeclaredStepIds.Add(key.Value);
                Locations.Set("steps." + key.Value, key.Location(file));
            }

            foreach (var (key, value) in stepsMap.Entries)
            {
                if (!NamePattern().IsMatch(key.Value))
                {
                    Error(key, $"'{key.Value}' is not a valid step id", "use lowercase letters, digits and '-', e.g. exit-task");
                }

                if (Step(key, value) is { } step)
                {
                    // A title says in words what the step is, for coordinators ("Loppulomake", "Exit form"); a task's is its 'task:'.
                    steps[key.Value] = value is YamlMap stepMap && stepMap["title"] is { } title && step is not TaskStep
                        ? step with { Label = Localized(title, $"steps.{key.Value}.title", "the step's title", requireFiEn: true) }
                        : step;
                }
            }

            return steps;
        }

        private Step? Step(YamlText key, YamlNodeBase node)
        {
            var id = key.Value;
            var path = "steps." + id;
            var location = key.Location(file);
            if (node is not YamlMap map)
            {
                Error(node, $"step '{id}' must be a map of keys", "write e.g. 'ask: exit-form' on the lines below it, indented");
                return null;
            }

            var kinds = map.Entries.Select(e => e.Key.Value).Where(KindKeys.Contains).ToList();
            if (kinds.Count == 0)
            {
                var misspelt = map.Entries.Select(e => Suggestions.Closest(e.Key.Value, KindKeys)).FirstOrDefault(s => s is not null);
                Error(key, $"step '{id}' does not say what it does{(misspelt is null ? "" : $" — did you mean '{misspelt}'?")}", "give it exactly one of: " + string.Join(", ", KindKeys));
                return null;
            }

            if (kinds.Count > 1)
            {
                Error(map.KeyNode(kinds[1])!, $"step '{id}' has both '{kinds[0]}' and '{kinds[1]}'; a step does exactly one thing", "split it into two steps, the first with 'next:' to the second");
                return null;
            }

            var kind = kinds[0];
            CheckStepKeys(map, id, kind);
            switch (kind)
            {
                case "ask":
                {
                    var form = RequiredName(map, "ask", path + ".ask", "the form's name", NamePattern(), "e.g. exit-form") ?? "";
                    var message = map["message"] is null ? (form.Length > 0 ? form + "-link" : "")
                        : Name(map["message"]!, path + ".message", "the message's name", NamePattern(), "e.g. exit-form-link") ?? "";
                    return new AskStep(id, location, form, message, Attempts(map, path), Duration(map, "expires", path, required: true), Reference(map, "onExpired", path), Reference(map, "next", path))
                    {
                        CountsContactAttempts = CountsContactAttempts(map, path),
                    };
                }

                case "external":
                {
                    var name = RequiredName(map, "external", path + ".external", "the external form's name", NamePattern(), "e.g. eura-entry") ?? "";
                    var url = Url(map, path);
                    var message = RequiredName(map, "message", path + ".message", "the message's name", NamePattern(), "e.g. eura-entry-link") ?? "";
                    return new ExternalStep(id, location, name, url, message, Attempts(map, path), Duration(map, "expires", path, required: true), Reference(map, "onExpired", path), Reference(map, "next", path))
                    {
                        Reports = Reports(map, path),
                        CountsContactAttempts = CountsContactAttempts(map, path),
                    };
                }

                case "task":
                {
                    var title = Localized(map["task"]!, path + ".task", "the task's title", requireFiEn: true) ?? new(new Dictionary<string, string>());
                    var (outcomes, outcomeTitles) = Outcomes(map, path);
                    var reports = Reports(map, path);
                    var due = map["due"] is null ? (IsoDuration?)null : Duration(map, "due", path, required: false);
                    return new TaskStep(id, location, title, outcomes)
                    {
                        OutcomeTitles = outcomeTitles, Reports = reports, Received = Received(map, path, outcomes, reports), Due = due, Escalations = Escalations(map, path, due is not null),
                    };
                }

                case "wait":
                    return new WaitStep(id, location, Duration(map, "wait", path, required: true), null, Reference(map, "next", path));
                case "until":
                {
                    var until = Text(map["until"]!, path + ".until", "the time to wait until", "an expression, e.g. \"time(events.left.leftOn) + duration('P6M')\"", contentLocation: true) ?? "";
                    return new WaitStep(id, location, null, until, Reference(map, "next", path));
                }

                case "waitFor":
                    return WaitFor(map, id, location, path);
                case "choose":
                    return Choose(map, id, location, path);
                case "send":
                {
                    var message = RequiredName(map, "send", path + ".send", "the message's name", NamePattern(), "e.g. how-are-you") ?? "";
                    var via = map["via"] is { } viaNode ? Channel(viaNode, path + ".via") : null;
                    var optional = map["optional"] is { } optionalNode && Bool(optionalNode, path + ".optional", "'optional'");
                    return new SendStep(id, location, message, via, optional, Reference(map, "next", path));
                }

                default:
                {
                    var outcome = RequiredName(map, "end", path + ".end", "the outcome", NamePattern(), "e.g. completed") ?? "";
                    return new EndStep(id, location, outcome);
                }
            }
        }

        private void CheckStepKeys(YamlMap map, string id, string kind)
        {
            var allowed = StepKeys[kind];
            var label = kind is "wait" or "until" ? "a wait" : kind is "ask" or "external" or "end" ? "an " + kind : "a " + kind;
            var allStepKeys = StepKeys.Values.SelectMany(k => k).Distinct().ToList();
            foreach (var (key, _) in map.Entries.Where(e => !allowed.Contains(e.Key.Value)))
            {
                var suggestion = Suggestions.Closest(key.Value, allowed) ?? Suggestions.Closest(key.Value, allStepKeys);
                var named = allStepKeys.Contains(key.Value) ? key.Value : suggestion;
                var owners = named is null ? [] : StepKeys.Where(k => k.Value.Contains(named) && !KindKeys.Contains(named)).Select(k => k.Key).ToList();
                var belongs = named is not null && !allowed.Contains(named) && owners.Count > 0 ? $" ('{named}' belongs to {string.Join("/", owners)} steps)" : "";
                var didYouMean = suggestion is null ? "" : $" — did you mean '{suggestion}'?";
                Error(key, $"step '{id}' is {label} step and has no key '{key.Value}'{didYouMean}{belongs}", "use only: " + string.Join(", ", allowed));
            }
        }

        /// <summary>The required, non-empty list or map under <paramref name="key"/>; null, with the error recorded, otherwise.</summary>
        private TNode? RequiredNonEmpty<TNode>(YamlMap map, string key, string locationPath, string owner, string shape, string example)
            where TNode : YamlNodeBase
        {
            var node = map[key];
            if (node is null)
            {
                Error(map, $"{owner} has no '{key}'", $"add e.g. '{key}: {example}'");
                return null;
            }

            Locations.Set(locationPath, node.Location(file));
            if (node is not TNode typed || typed is YamlList { Items.Count: 0 } or YamlMap { Entries.Count: 0 })
            {
                Error(node, $"'{key}' must be {shape}", $"write e.g. '{key}: {example}'");
                return null;
            }

            return typed;
        }

        private List<Attempt> Attempts(YamlMap map, string path)
        {
            var attempts = new List<Attempt>();
            var list = RequiredNonEmpty<YamlList>(
                map, "attempts", path + ".attempts", $"step '{StepId(path)}'", "a non-empty list of '<duration>' or '<duration> via <channel>'", "[P0D via sms, P3D via email]");
            if (list is null)
            {
                return attempts;
            }

            for (var i = 0; i < list.Items.Count; i++)
            {
                var item = list.Items[i];
                var itemPath = $"{path}.attempts[{i}]";
                if (Text(item, itemPath, "an attempt", "P3D via email") is not { } text)
                {
                    continue;
                }

                var match = AttemptPattern().Match(text.Trim());
                if (!match.Success)
                {
                    Error(item, $"'{text}' is not an attempt", "write '<duration>' or '<duration> via <channel>', e.g. 'P3D via email'");
                    Locations.Set(itemPath + ".invalid", item.Location(file));
                    continue;
                }

                var durationText = match.Groups["duration"].Value;
                if (!IsoDuration.TryParse(durationText, out var after))
                {
                    Error(item, $"'{durationText}' is not a duration", DurationFix);
                    Locations.Set(itemPath + ".invalid", item.Location(file));
                    continue;
                }

                string? via = null;
                if (match.Groups["channel"].Success)
                {
                    via = match.Groups["channel"].Value;
                    if (!AllowedChannels.Contains(via))
                    {
                        Error(item, $"'{via}' is not a channel{Suggestions.DidYouMean(via, AllowedChannels)}", "use one of: " + string.Join(", ", AllowedChannels));
                        Locations.Set(itemPath + ".invalid", item.Location(file));
                        continue;
                    }
                }

                attempts.Add(new Attempt(after, via));
            }

            return attempts;
        }

        // escalate: [P0D to coordinator, P3D to managers] — each counted from the task's due time, in order.
        private List<Escalation> Escalations(YamlMap map, string path, bool hasDue)
        {
            var escalations = new List<Escalation>();
            if (map["escalate"] is null)
            {
                return escalations;
            }

            var list = RequiredNonEmpty<YamlList>(
                map, "escalate", path + ".escalate", $"task '{StepId(path)}'", "a non-empty list of '<duration> to coordinator' or '<duration> to managers'", "[P0D to coordinator, P3D to managers]");
            if (list is null)
            {
                return escalations;
            }

            if (!hasDue)
            {
                Error(map["escalate"]!, $"task '{StepId(path)}' escalates but has no 'due'", "add e.g. 'due: P5D': reminders are counted from the task's due time");
                return escalations;
            }

            for (var i = 0; i < list.Items.Count; i++)
            {
                var item = list.Items[i];
                var itemPath = $"{path}.escalate[{i}]";
                if (Text(item, itemPath, "a reminder", "P3D to managers") is not { } text)
                {
                    continue;
                }

                var match = EscalationPattern().Match(text.Trim());
                if (!match.Success || !IsoDuration.TryParse(match.Groups["duration"].Value, out var after))
                {
                    Error(item, $"'{text}' is not a reminder", "write '<duration> to coordinator' or '<duration> to managers', e.g. 'P3D to managers' (" + DurationFix + ")");
                    Locations.Set(itemPath + ".invalid", item.Location(file));
                    continue;
                }

                var to = match.Groups["to"].Value == "coordinator" ? EscalationTarget.Coordinator : EscalationTarget.Managers;
                if (escalations.Count > 0 && after.AddTo(WorkflowValidator.ComparisonInstant, TimeZoneInfo.Utc) <= escalations[^1].After.AddTo(WorkflowValidator.ComparisonInstant, TimeZoneInfo.Utc))
                {
                    Error(item, $"reminder '{text}' is not later than the one before", "list the reminders in order, each later than the last, e.g. [P0D to coordinator, P3D to managers]");
                    continue;
                }

                Locations.Set(itemPath, item.Location(file));
                escalations.Add(new Escalation(after, to));
            }

            return escalations;
        }

        private const string DurationFix = "write an ISO 8601 duration: P2D (2 days), P1W (1 week), P6M (6 months), PT30M (30 minutes)";

        private IsoDuration Duration(YamlMap map, string key, string path, bool required)
        {
            var node = map[key];
            if (node is null)
            {
                if (required)
                {
                    Error(map, $"step '{StepId(path)}' has no '{key}'", $"add e.g. '{key}: P14D'");
                }

                return IsoDuration.Zero;
            }

            return DurationValue(node, $"{path}.{key}", $"'{key}'") ?? IsoDuration.Zero;
        }

        private IsoDuration? DurationValue(YamlNodeBase node, string path, string what)
        {
            if (Text(node, path + ".text", what, "P14D") is not { } text)
            {
                return null;
            }

            if (!IsoDuration.TryParse(text, out var duration))
            {
                Error(node, $"{what} '{text}' is not a duration", DurationFix);
                return null;
            }

            Locations.Set(path, node.Location(file));
            return duration;
        }

        private Uri Url(YamlMap map, string path)
        {
            var placeholder = new Uri("https://invalid.invalid/");
            if (RequiredText(map, "url", path + ".url", "the external form's address", "https://eura2021.fi/osallistuja") is not { } text)
            {
                return placeholder;
            }

            if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
            {
                Error(map["url"]!, $"'{text}' is not an absolute https address", "write the full address starting with https://, e.g. https://eura2021.fi/osallistuja");
                return placeholder;
            }

            return url;
        }

        // Each outcome: the step it leads to, written as the step id alone or as { next: <step>, title: { fi: …, en: … } }.
        private (OrderedDictionary<string, string> Next, Dictionary<string, LocalizedText> Titles) Outcomes(YamlMap map, string path)
        {
            var outcomes = new OrderedDictionary<string, string>(StringComparer.Ordinal);
            var titles = new Dictionary<string, LocalizedText>(StringComparer.Ordinal);
            var outcomesMap = RequiredNonEmpty<YamlMap>(
                map, "outcomes", path + ".outcomes", $"task '{StepId(path)}'", "a non-empty map of outcome → step id", "{ answered-by-phone: done, unreachable: done }");
            if (outcomesMap is null)
            {
                return (outcomes, titles);
            }

            foreach (var (key, value) in outcomesMap.Entries)
            {
                if (!NamePattern().IsMatch(key.Value))
                {
                    Error(key, $"'{key.Value}' is not a valid outcome name", "use lowercase letters, digits and '-', e.g. answered-by-phone");
                }

                var outcomePath = $"{path}.outcomes.{key.Value}";
                var nextNode = value;
                if (value is YamlMap outcome)
                {
                    CheckKeys(outcome, OutcomeKeys, $"outcome '{key.Value}'", outcomePath);
                    if (outcome["title"] is { } titleNode && Localized(titleNode, outcomePath + ".title", $"the title of outcome '{key.Value}'", requireFiEn: true) is { } title)
                    {
                        titles[key.Value] = title;
                    }

                    nextNode = outcome["next"];
                    if (nextNode is null)
                    {
                        Error(outcome, $"outcome '{key.Value}' has no 'next'", "add 'next: <step id>': the step this outcome leads to");
                        outcomes[key.Value] = "";
                        continue;
                    }
                }

                outcomes[key.Value] = Text(nextNode, outcomePath, $"the step after outcome '{key.Value}'", "a step id") ?? "";
            }

            return (outcomes, titles);
        }

        private WaitForEventStep WaitFor(YamlMap map, string id, SourceLocation location, string path)
        {
            var eventName = RequiredName(map, "waitFor", path + ".waitFor", "the event's name", EventPattern(), "lowercase letters, digits, '-' and ':', e.g. participant-left") ?? "";
            IsoDuration? timeout = map["timeout"] is null ? null : Duration(map, "timeout", path, required: false);
            var deadline = map["deadline"] is { } deadlineNode
                ? Text(deadlineNode, path + ".deadline", "the deadline", "an expression giving a time, e.g. \"time(project.endDate)\"", contentLocation: true)
                : null;
            var onTimeout = map["onTimeout"] is null ? null : Reference(map, "onTimeout", path);
            var limit = map["timeout"] is not null ? "timeout" : map["deadline"] is not null ? "deadline" : null;
            if (limit is not null && map["onTimeout"] is null)
            {
                Error(map.KeyNode(limit)!, $"step '{id}' has a '{limit}' but no 'onTimeout'", $"add 'onTimeout: <step id>' (where to go when it times out), or remove '{limit}'");
            }
            else if (limit is null && map["onTimeout"] is not null)
            {
                Error(map.KeyNode("onTimeout")!, $"step '{id}' has an 'onTimeout' but no 'timeout' or 'deadline'", "add 'timeout: <duration>', e.g. 'timeout: P2Y', or 'deadline: <time expression>', or remove 'onTimeout'");
            }

            CheckIn? checkIn = null;
            if (map["checkIn"] is { } checkInNode)
            {
                Locations.Set(path + ".checkIn", checkInNode.Location(file));
                if (checkInNode is not YamlMap checkInMap)
                {
                    Error(checkInNode, "'checkIn' must be a map", "write e.g. 'checkIn: { every: P30D, message: how-are-you }'");
                }
                else
                {
                    CheckKeys(checkInMap, ["every", "message"], "'checkIn'", path + ".checkIn");
                    var every = checkInMap["every"] is { } everyNode ? DurationValue(everyNode, path + ".checkIn.every", "'every'") : null;
                    if (checkInMap["every"] is null)
                    {
                        Error(checkInMap, "'checkIn' has no 'every'", "add e.g. 'every: P30D'");
                    }
                    else if (every is { IsZero: true })
                    {
                        Error(checkInMap["every"]!, "'every' must be longer than zero", "write e.g. 'every: P30D'");
                    }

                    var message = RequiredName(checkInMap, "message", path + ".checkIn.message", "the check-in message's name", NamePattern(), "e.g. how-are-you");
                    if (every is not null && message is not null)
                    {
                        checkIn = new CheckIn(every, message);
                    }
                }
            }

            return new WaitForEventStep(id, location, eventName, timeout, onTimeout, checkIn, Reference(map, "next", path), deadline);
        }

        private ChooseStep Choose(YamlMap map, string id, SourceLocation location, string path)
        {
            var branches = new List<Branch>();
            string? otherwise = null;
            var node = map["choose"]!;
            if (node is not YamlList list || list.Items.Count == 0)
            {
                Error(node, "'choose' must be a list of '- when: …' branches ending with '- otherwise: <step id>'", "write e.g. '- when: \"…\"' + 'next: done', then '- otherwise: follow-up'");
                return new ChooseStep(id, location, branches, "");
            }

            for (var i = 0; i < list.Items.Count; i++)
            {
                var itemPath = $"{path}.choose[{i}]";
                if (list.Items[i] is not YamlMap item)
                {
                    Error(list.Items[i], "a choose branch must be a map: 'when:' and 'next:', or 'otherwise:'", "write '- when: \"…\"' with 'next: <step id>' below it");
                    continue;
                }

                if (otherwise is not null)
                {
                    Error(item, "'otherwise' must be the last branch; this one comes after it", "move the 'otherwise' branch to the end");
                }

                if (item["otherwise"] is { } otherwiseNode)
                {
                    CheckKeys(item, ["otherwise"], "an otherwise branch", itemPath);
                    otherwise = Text(otherwiseNode, path + ".otherwise", "the step for 'otherwise'", "a step id") ?? "";
                    continue;
                }

                CheckKeys(item, ["when", "next"], "a choose branch", itemPath);
                var when = RequiredText(item, "when", itemPath + ".when", "the condition", "\"forms['exit-form'].answers.status == 'employed'\"", contentLocation: true);
                var next = RequiredText(item, "next", itemPath + ".next", "the step when it holds", "a step id");
                if (when is not null && next is not null)
                {
                    Locations.Set($"{path}.branch[{branches.Count}].next", Locations.Of(itemPath + ".next"));
                    branches.Add(new Branch(when, next, item["when"] is YamlText whenNode ? whenNode.ContentLocation(file) : item.Location(file)));
                }
            }

            if (otherwise is null)
            {
                Error(list.Items[^1], $"choose step '{id}' has no final 'otherwise' branch", "end the list with '- otherwise: <step id>' (where to go when no condition holds)");
            }

            if (!list.Items.OfType<YamlMap>().Any(i => i["when"] is not null))
            {
                Error(node, $"choose step '{id}' has no 'when' branch", "add '- when: \"<condition>\"' with 'next: <step id>' before 'otherwise'");
            }

            return new ChooseStep(id, location, branches, otherwise ?? "");
        }

        // received: the outcomes that mean the form the task reports was entered elsewhere (EURA), so it counts as received.
        private HashSet<string> Received(YamlMap map, string path, OrderedDictionary<string, string> outcomes, ReportedForm? reports)
        {
            var received = new HashSet<string>(StringComparer.Ordinal);
            if (map["received"] is not { } node)
            {
                return received;
            }

            if (reports is null && map["reports"] is null)
            {
                Error(node, $"task '{StepId(path)}' lists 'received' outcomes but reports no form", "add 'reports: entry', 'exit' or 'six-month': the form these outcomes count as received");
            }

            if (node is not YamlList list || list.Items.Count == 0)
            {
                Error(node, "'received' must be a non-empty list of the task's outcomes", "write e.g. 'received: [entered-by-project]'");
                return received;
            }

            for (var i = 0; i < list.Items.Count; i++)
            {
                if (Text(list.Items[i], $"{path}.received[{i}]", "an outcome", "entered-by-project") is not { } outcome)
                {
                    continue;
                }

                if (!outcomes.ContainsKey(outcome))
                {
                    Error(list.Items[i], $"'{outcome}' is not an outcome of task '{StepId(path)}'{Suggestions.DidYouMean(outcome, [.. outcomes.Keys])}", "use one of: " + string.Join(", ", outcomes.Keys));
                }
                else if (!received.Add(outcome))
                {
                    Error(list.Items[i], $"'{outcome}' is listed twice in 'received'", "list it once");
                }
            }

            return received;
        }

        private ReportedForm? Reports(YamlMap map, string path)
        {
            if (map["reports"] is not { } node || Text(node, path + ".reports", "the form it reports", "exit") is not { } text)
            {
                return null;
            }

            if (ReportedForms.Parse(text) is { } form)
            {
                return form;
            }

            Error(node, $"'{text}' is not a form the summary counts{Suggestions.DidYouMean(text, ReportedForms.Names)}", "use one of: " + string.Join(", ", ReportedForms.Names));
            return null;
        }

        private string? Channel(YamlNodeBase node, string path)
        {
            if (Text(node, path, "the channel", "sms") is not { } channel)
            {
                return null;
            }

            if (!AllowedChannels.Contains(channel))
            {
                Error(node, $"'{channel}' is not a channel{Suggestions.DidYouMean(channel, AllowedChannels)}", "use one of: " + string.Join(", ", AllowedChannels));
                return null;
            }

            return channel;
        }

        private bool CountsContactAttempts(YamlMap map, string path) =>
            map["countsContactAttempts"] is { } node && Bool(node, path + ".countsContactAttempts", "'countsContactAttempts'");

        private bool Bool(YamlNodeBase node, string path, string what)
        {
            Locations.Set(path, node.Location(file));
            if (node is YamlText { IsPlain: true, Value: "true" or "false" } text)
            {
                return text.Value == "true";
            }

            Error(node, $"{what} must be true or false", $"write '{what.Trim('\'')}: true' or '{what.Trim('\'')}: false' (without quotes)");
            return false;
        }

        private string Reference(YamlMap map, string key, string path) =>
            RequiredText(map, key, $"{path}.{key}", $"'{key}'", "a step id") ?? "";

        private string? RequiredText(YamlMap map, string key, string path, string what, string example, bool contentLocation = false)
        {
            var node = map[key];
            if (node is null)
            {
                var owner = path.StartsWith("steps.", StringComparison.Ordinal) ? $"step '{StepId(path)}'" : "the workflow";
                Error(map, $"{owner} has no '{key}' ({what})", $"add '{key}: {example}'");
                return null;
            }

            return Text(node, path, what, example, contentLocation: contentLocation);
        }

        private string? RequiredName(YamlMap map, string key, string path, string what, Regex pattern, string example) =>
            map[key] is { } node ? Name(node, path, what, pattern, example)
            : RequiredText(map, key, path, what, example);

        private string? Name(YamlNodeBase node, string path, string what, Regex pattern, string example)
        {
            if (Text(node, path, what, example) is not { } name)
            {
                return null;
            }

            if (!pattern.IsMatch(name))
            {
                Error(node, $"'{name}' is not a valid name for {what}", "use " + example);
                return null;
            }

            return name;
        }

        /// <summary>A text value; maps, lists, and unquoted numbers, booleans or nothing are refused.</summary>
        private string? Text(YamlNodeBase node, string path, string what, string example, bool allowEmpty = false, bool contentLocation = false)
        {
            if (node is not YamlText text)
            {
                Error(node, $"{what} must be text, not a {(node is YamlMap ? "map" : "list")}", $"write e.g. {example}");
                return null;
            }

            if (text.NonTextKind is { } kind)
            {
                Error(node, kind == "empty" ? $"{what} is empty" : $"{what} must be text, but '{text.Value}' is {kind}", kind == "empty" ? $"write e.g. {example}" : $"write \"{text.Value}\" in quotes if you mean the text, or e.g. {example}");
                return null;
            }

            if (!allowEmpty && text.Value.Trim().Length == 0)
            {
                Error(node, $"{what} is empty", $"write e.g. {example}");
                return null;
            }

            Locations.Set(path, contentLocation ? text.ContentLocation(file) : text.Location(file));
            return text.Value;
        }

        private void CheckKeys(YamlMap map, string[] allowed, string what, string path)
        {
            foreach (var (key, _) in map.Entries.Where(e => !allowed.Contains(e.Key.Value)))
            {
                var inSteps = path.Length == 0 && KindKeys.Contains(key.Value) ? " (step keys go under 'steps:', inside a step)" : "";
                Error(key, $"{what} has no key '{key.Value}'{Suggestions.DidYouMean(key.Value, allowed)}{inSteps}", "use only: " + string.Join(", ", allowed));
            }
        }

        private static string StepId(string path)
        {
            var rest = path["steps.".Length..];
            var dot = rest.IndexOf('.', StringComparison.Ordinal);
            return dot < 0 ? rest : rest[..dot];
        }

        private void Error(YamlNodeBase node, string message, string fix) =>
            errors.Add(new(node.Location(file), message, fix));
    }
}
