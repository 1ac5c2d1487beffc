using Askel.App.Projects;

namespace Askel.App.Coordinator.Components;

/// <summary>The admin's list of projects: where each one's settings come from, with links to edit and export them.</summary>
/// <param name="Projects">Every project, with who saved its settings in the app and when (null: its file's).</param>
/// <param name="Problems">Saved settings that no longer check out (a workflow removed by a deployment): the project and the first problem.</param>
public sealed record SettingsList(IReadOnlyList<(Project Project, SavedProject? Saved)> Projects, IReadOnlyList<(string ProjectId, string Problem)> Problems);

/// <summary>A project's settings form.</summary>
/// <param name="Project">The project as it stands, or null for a new one.</param>
/// <param name="Values">The form's values (as posted, after problems).</param>
/// <param name="Workflows">The workflows a project may run.</param>
/// <param name="Problems">What is wrong with what was posted: the field (empty when it is none of the form's) and the text.</param>
/// <param name="Saved">Who saved the settings in the app and when, or null when they are the file's.</param>
/// <param name="JustSaved">Whether the page follows a save.</param>
public sealed record SettingsView(
    Project? Project, ProjectSettingsEntry Values, IReadOnlyList<string> Workflows, IReadOnlyList<FormError> Problems, SavedProject? Saved, bool JustSaved);
