using Askel.App.Projects;
using Askel.App.Summaries;
using Askel.Testing;

namespace Askel.App.Tests.Summaries;

/// <summary>Who gets a project's summary: <c>managers:</c> and <c>managerGroup:</c> in its file, each address once.</summary>
public sealed class DeliveryRecipientsTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("askel-projects-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task File_managers_come_first_then_group_members_each_address_once_whatever_its_case()
    {
        var project = new Project("p", "P", "w", new DateOnly(2027, 12, 31), null, ["c@example.org"], ["maija@example.org", " MAIJA@example.org ", "pekka@example.org"])
        {
            ManagerGroup = "2f1c0d7e-8a4b-4c9e-9d3f-6b5a4e3c2d1b",
        };
        var logs = new XunitLoggerProvider(null);
        var recipients = new ManagerRecipients(new Members(["Pekka@Example.org", "olli@example.org", ""]), new Microsoft.Extensions.Logging.Logger<ManagerRecipients>(new Microsoft.Extensions.Logging.LoggerFactory([logs])));

        Assert.Equal(["maija@example.org", "pekka@example.org", "olli@example.org"], await recipients.ForAsync(project, CancellationToken.None));
        Assert.DoesNotContain(logs.Lines, l => l.Contains('@', StringComparison.Ordinal));
    }

    private ProjectCatalog Load(string extra)
    {
        var projects = Directory.CreateDirectory(Path.Combine(_folder.FullName, "projects"));
        File.WriteAllText(Path.Combine(projects.FullName, "p.yaml"), "project: p\nname: P\nworkflow: w\nendDate: 2027-12-31\ncoordinators: [c@example.org]\nmanagers: [m@example.org]\n" + extra);
        return ProjectCatalog.Load(_folder.FullName, _ => true);
    }

    private sealed class Members(IReadOnlyList<string> members) : IManagerDirectory
    {
        public Task<IReadOnlyList<string>?> MembersAsync(string groupId, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>?>(members);
    }
}
