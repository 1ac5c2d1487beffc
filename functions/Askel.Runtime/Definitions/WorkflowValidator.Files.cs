namespace Askel.Runtime.Definitions;

public static partial class WorkflowValidator
{
    [System.Text.RegularExpressions.GeneratedRegex(@"\{%-?\s*(for|tablerow)\b")]
    private static partial System.Text.RegularExpressions.Regex LiquidLoop();

    /// <summary>The forms and message templates a workflow uses: they exist and have every declared language.</summary>
    private sealed class FileChecks(WorkflowDefinition definition, DefinitionLocations locations, IWorkflowResources resources, List<DefinitionError> errors)
    {
        private readonly HashSet<string> _checked = new(StringComparer.Ordinal);

        public void Run()
        {
            foreach (var use in definition.Files)
            {
                var path = $"steps.{use.StepId}.{use.Key}";
                if (use.IsForm)
                {
                    Form(use.Name, path);
                }
                else
                {
                    // An ask step's message defaults to <form>-link: without a message key, point at the ask.
                    Message(use.Name, definition.Steps[use.StepId] is AskStep && !locations.Has(path) ? $"steps.{use.StepId}.ask" : path);
                }
            }
        }

        private YamlMap? Read(string name, string kind, string referencePath, string exampleFix)
        {
            if (name.Length == 0 || !WorkflowLoader.NamePattern().IsMatch(name))
            {
                return null;
            }

            var file = kind == "form" ? resources.FormPath(name) : resources.MessagePath(name);
            var text = resources.ReadText(file);
            if (text is null)
            {
                errors.Add(new(
                    locations.Of(referencePath),
                    $"{kind} '{name}' does not exist: there is no file {file}",
                    $"create {file} ({exampleFix}), or correct the name"));
                return null;
            }

            if (!_checked.Add(file))
            {
                return null;
            }

            var fileErrors = new List<DefinitionError>();
            var root = YamlTree.Read(text, file, fileErrors);
            errors.AddRange(fileErrors);
            if (root is null)
            {
                return null;
            }

            if (root is not YamlMap map)
            {
                errors.Add(new(root.Location(file), $"a {kind} file must be a map of keys", exampleFix));
                return null;
            }

            return map;
        }

        private void Form(string name, string referencePath)
        {
            if (Read(name, "form", referencePath, $"with 'form: {name}' and 'title: {{ fi: …, en: … }}'") is not { } map)
            {
                return;
            }

            var file = resources.FormPath(name);
            if (map["form"] is not YamlText { Value: var declared } formNode)
            {
                errors.Add(new(map.Location(file), "the form file has no 'form: <name>'", $"add 'form: {name}' at the top"));
            }
            else if (declared != name)
            {
                errors.Add(new(formNode.Location(file), $"the form is named '{declared}' but its file is '{name}.yaml'", $"write 'form: {name}'"));
            }

            // The whole form, title included, in the workflow's languages (its file was read above, so it exists).
            var form = Forms.FormLoader.Load(resources.ReadText(file)!, file, definition.Languages);
            errors.AddRange(form.Errors.Where(e => !errors.Contains(e)));
        }

        private void Message(string name, string referencePath)
        {
            if (Read(name, "message", referencePath, "with 'sms: { fi: …, … }' and 'email: { subject: { … }, text: { … } }'") is not { } map)
            {
                return;
            }

            var file = resources.MessagePath(name);
            foreach (var (key, _) in map.Entries.Where(e => e.Key.Value is not ("sms" or "email")))
            {
                errors.Add(new(key.Location(file), $"a message template has no key '{key.Value}'{Suggestions.DidYouMean(key.Value, ["sms", "email"])}", "use only: sms, email"));
            }

            if (definition.Channels.Contains("sms"))
            {
                Languages(map["sms"], map, file, "the SMS text", "sms");
                SmsLength(map["sms"], file);
            }

            if (definition.Channels.Contains("email"))
            {
                if (map["email"] is not { } email)
                {
                    errors.Add(new(map.Location(file), "the message has no 'email' (the workflow sends by email)", "add 'email:' with 'subject: { fi: …, … }' and 'text: { fi: …, … }'"));
                    return;
                }

                if (email is not YamlMap emailMap)
                {
                    errors.Add(new(email.Location(file), "'email' must be a map with 'subject' and 'text'", "write 'email:' with 'subject: { fi: …, … }' and 'text: { fi: …, … }' below it"));
                    return;
                }

                foreach (var (key, _) in emailMap.Entries.Where(e => e.Key.Value is not ("subject" or "text" or "html")))
                {
                    errors.Add(new(key.Location(file), $"'email' has no key '{key.Value}'{Suggestions.DidYouMean(key.Value, ["subject", "text", "html"])}", "use only: subject, text, html"));
                }

                Languages(emailMap["subject"], emailMap, file, "the email subject", "subject");
                Languages(emailMap["text"], emailMap, file, "the email text", "text");
                if (emailMap["html"] is { } html)
                {
                    Languages(html, emailMap, file, "the email HTML", "html");
                }
            }
        }

        /// <summary>
        /// Warns when an SMS text, filled in with a 12-character first name, a 45-character link, the workflow's
        /// external address and a 6-character project code, goes out
        /// in more than two parts: each part costs, and long texts arrive split on some phones.
        /// </summary>
        private void SmsLength(YamlNodeBase? node, string file)
        {
            if (node is not YamlMap map)
            {
                return;
            }

            foreach (var (language, value) in map.Entries)
            {
                if (value is not YamlText { Value: var raw } || raw.Trim() is not { Length: > 0 } text)
                {
                    continue;
                }

                var filled = SmsSample.Fill(text, definition);
                var parts = SmsSegments.Count(filled);
                if (parts > 2)
                {
                    var encoding = SmsSegments.IsGsm7(filled) ? "GSM-7, 153 characters a part" : "UCS-2, 67 characters a part";
                    errors.Add(new(
                        value.Location(file),
                        $"the SMS text in {language.Value} needs {parts} SMS parts ({filled.Length} characters with {SmsSample.Explanation}; {encoding})",
                        "shorten it to at most two parts; the details can go in the email",
                        DefinitionSeverity.Warning));
                }
            }
        }

        /// <summary>A language → text map with every language the workflow declares.</summary>
        private void Languages(YamlNodeBase? node, YamlMap parent, string file, string what, string key)
        {
            if (node is null)
            {
                errors.Add(new(parent.Location(file), $"{what} is missing ('{key}:')", $"add '{key}: {{ {string.Join(", ", definition.Languages.Select(l => l + ": …"))} }}'"));
                return;
            }

            if (node is not YamlMap map)
            {
                errors.Add(new(node.Location(file), $"{what} must be a map of language → text", $"write '{key}: {{ fi: …, en: … }}'"));
                return;
            }

            foreach (var (language, value) in map.Entries)
            {
                if (value is YamlText { Value: var text } && LiquidLoop().Match(text) is { Success: true } loop)
                {
                    errors.Add(new(
                        value.Location(file),
                        $"{what} in {language.Value} has a Liquid loop ('{loop.Value}'): a message fills in a few values and runs no loops",
                        "remove the {% " + loop.Groups[1].Value + " %} … {% end" + loop.Groups[1].Value + " %}; use {{ firstName }}, {{ link }}, {{ url }}, {{ projectCode }}"));
                }
            }

            var missing = definition.Languages.Where(l => map[l] is not YamlText { Value: var text } || text.Trim().Length == 0).ToList();
            if (missing.Count > 0)
            {
                errors.Add(new(
                    map.Location(file),
                    $"{what} has no text in {string.Join(", ", missing)} (workflow '{definition.Name}' declares these languages)",
                    $"add {string.Join(", ", missing.Select(l => l + ": …"))} under '{key}'"));
            }
        }
    }
}
