namespace Askel.App.Coordinator.Components;

/// <summary>A workflow's page: its diagram, its steps in words, and the forms and messages it sends, in one of its languages.</summary>
/// <param name="Name">The workflow's name.</param>
/// <param name="Version">The version running instances start on (the content hash).</param>
/// <param name="Title">Its title in the page's language.</param>
/// <param name="Start">The title of the step it starts at.</param>
/// <param name="Languages">The languages its forms and messages are written in.</param>
/// <param name="TextLanguage">The language the forms and messages are shown in.</param>
/// <param name="Diagram">The steps laid out, ready to draw.</param>
/// <param name="Steps">Every step in file order, in words.</param>
/// <param name="Forms">The forms it asks for.</param>
/// <param name="Messages">The message templates it sends.</param>
/// <param name="Projects">The projects that run it, by name.</param>
public sealed record WorkflowView(
    string Name, string Version, string Title, string Start, IReadOnlyList<string> Languages, string TextLanguage, Diagram Diagram,
    IReadOnlyList<StepView> Steps, IReadOnlyList<FormView> Forms, IReadOnlyList<MessageView> Messages, IReadOnlyList<string> Projects);

/// <summary>A step in words.</summary>
/// <param name="Id">The step's id (its anchor on the page).</param>
/// <param name="Title">Its title in the page's language, or its id.</param>
/// <param name="Kind">What kind of step it is, in words.</param>
/// <param name="Facts">What it does: a label and a value each (the form, the sends, the waits).</param>
/// <param name="Ways">Where it goes, and when.</param>
public sealed record StepView(string Id, string Title, string Kind, IReadOnlyList<StepFact> Facts, IReadOnlyList<StepWay> Ways);

/// <summary>One thing a step does: "Sends" — "at once: email; 3 days after the step begins: SMS"; a form or message links to its texts.</summary>
public sealed record StepFact(string Label, string Value, string? Anchor = null);

/// <summary>A way out of a step: when it is taken (empty when it is the only way), and the step it leads to.</summary>
public sealed record StepWay(string When, string To, string ToTitle);

/// <summary>A form the workflow asks for, in the chosen language: its title and its questions.</summary>
public sealed record FormView(string Name, string Title, IReadOnlyList<string> Questions);

/// <summary>A message template in the chosen language, and the SMS parts its text takes in each of the workflow's languages.</summary>
/// <param name="Name">The template's name.</param>
/// <param name="Sms">The SMS text as written (placeholders and all), or null.</param>
/// <param name="Subject">The email's subject, or null.</param>
/// <param name="Email">The email's text, or null.</param>
/// <param name="Parts">The SMS parts per language, in the workflow's order (empty without an SMS text).</param>
public sealed record MessageView(string Name, string? Sms, string? Subject, string? Email, IReadOnlyList<SmsParts> Parts);

/// <summary>What one SMS text costs, counted with a long first name and link filled in.</summary>
/// <param name="Language">The text's language.</param>
/// <param name="Parts">How many SMS it goes in.</param>
/// <param name="Characters">Its length, filled in.</param>
/// <param name="Gsm7">Whether it fits the GSM-7 alphabet (160 a message) rather than UCS-2 (70).</param>
public sealed record SmsParts(string Language, int Parts, int Characters, bool Gsm7);

/// <summary>A workflow's steps laid out top to bottom, in the drawing's own units (pixels at 100 %).</summary>
public sealed record Diagram(double Width, double Height, IReadOnlyList<DiagramBox> Boxes, IReadOnlyList<DiagramArrow> Arrows);

/// <summary>A step's box: its top-left corner, size, title and kind; <paramref name="Ending"/> for an end step.</summary>
public sealed record DiagramBox(string Id, double X, double Y, double Width, double Height, string Title, string Kind, bool Ending);

/// <summary>An arrow between two steps: SVG path data, and a label centred at a point (shortened from <paramref name="Whole"/>), or none.</summary>
public sealed record DiagramArrow(string Path, string? Label, string Whole, double LabelX, double LabelY);
