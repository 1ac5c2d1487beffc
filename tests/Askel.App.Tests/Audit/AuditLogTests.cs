using System.Text.RegularExpressions;
using Askel.Testing;

namespace Askel.App.Tests.Audit;

/// <summary>The audit log is append-only: no code changes a record; only the retention run deletes them, with the project's records.</summary>
public sealed partial class AuditLogTests
{
    [Fact]
    public void NoCodeUpdatesAnAuditRecord_AndOnlyTheRetentionPathsDeleteThem()
    {
        var writes = Directory.GetFiles(Repository.Path("functions"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => AuditWrite().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Call: m.Groups["call"].Value)))
            .ToList();

        Assert.NotEmpty(writes); // the pattern finds the calls there are
        Assert.All(writes, w => Assert.True(
            (w.Call == "AddEntityAsync" && w.File == "AuditLog.cs") || (w.Call is "DeleteEntityAsync" or "DeleteAsync" && w.File is "RetentionRun.cs" or "ParticipantRecords.cs"),
            $"{w.File} calls {w.Call} on the audit table: it is append-only"));
    }

    // tables.Audit.XxxAsync( — and the DeleteAsync(tables.Audit, …) helper of the privacy code.
    [GeneratedRegex(@"\.Audit\.(?<call>\w+Entit\w*|SubmitTransaction\w*)\(|(?<call>DeleteAsync)\(tables\.Audit\b", RegexOptions.CultureInvariant)]
    private static partial Regex AuditWrite();
}
